import { createOwner } from "../../../commands/create-owner.ts";
import { AppError } from "../../../domain/app-error.ts";
import { findUsableToken } from "../../../store/one-time-tokens.ts";
import { hasAnyUser } from "../../../store/users.ts";
import type { RouteModule } from "../../app-deps.ts";
import {
  csrfProblem,
  emailField,
  parseForm,
  requiredText,
  typed,
  withRepeatedPassword,
} from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { setSessionCookie } from "../../session.ts";
import { SetupPage, type SetupPageProps } from "../../views/admin/setup-page.tsx";

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

  app.post<{ Params: Params }>(
    "/admin/setup/:token",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { token } = request.params;
      const again = (status: number, props: Omit<SetupPageProps, "ctx" | "token" | "values">) =>
        sendPage(
          reply,
          SetupPage({
            ctx: pageContext(request, reply),
            token,
            values: { name: typed(request.body, "name"), email: typed(request.body, "email") },
            ...props,
          }),
          status,
        );

      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });
      const form = parseForm(setupForm, request.body, request.t);
      if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });

      const { sessionToken } = await createOwner(
        deps,
        {
          token,
          name: form.data.name,
          email: form.data.email,
          password: form.data.password,
          locale: request.locale,
        },
        deps.now(),
      );
      setSessionCookie(reply, sessionToken, deps.config.secureCookies);
      return reply.redirect("/admin/security?welcome=1", 303);
    },
  );
};
