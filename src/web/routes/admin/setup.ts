import type { FastifyRequest } from "fastify";
import { createOwner } from "../../../commands/create-owner.ts";
import { AppError } from "../../../domain/app-error.ts";
import { findUsableToken } from "../../../store/one-time-tokens.ts";
import { hasAnyUser } from "../../../store/users.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formRoute } from "../../forms/form-route.ts";
import { emailField, requiredText, typed, withRepeatedPassword } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { setSessionCookie } from "../../session.ts";
import { SetupPage } from "../../views/admin/setup-page.tsx";

const setupForm = withRepeatedPassword({ name: requiredText(120), email: emailField });

type Params = { token: string };

/** The one-time set-up link printed on first start: it creates the owner account and signs them in. */
export const setupRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  app.get<{ Params: Params }>("/admin/setup/:token", async (request, reply) => {
    const usable = await findUsableToken(db, "setup", request.params.token, deps.now());
    if (!usable || (await hasAnyUser(db))) throw new AppError("token_invalid");
    return sendPage(reply, SetupPage({ ctx: pageContext(request, reply), token: request.params.token }));
  });

  formRoute(app, deps, "/admin/setup/:token", {
    load: (request: FastifyRequest<{ Params: Params }>) => request.params.token,
    authorise: () => undefined,
    values: (body) => ({ name: typed(body, "name"), email: typed(body, "email") }),
    schema: setupForm,
    command: async (form, { request, reply, loaded: token, now }) => {
      const { sessionToken } = await createOwner(
        deps,
        {
          token,
          name: form.name,
          email: form.email,
          password: form.password,
          locale: request.locale,
          ip: request.ip,
        },
        now,
      );
      setSessionCookie(reply, sessionToken, deps.config.secureCookies);
    },
    render: ({ request, reply, loaded: token }, status, form) =>
      sendPage(reply, SetupPage({ ctx: pageContext(request, reply), token, ...form }), status),
    redirect: () => "/admin/security?welcome=1",
  });
};
