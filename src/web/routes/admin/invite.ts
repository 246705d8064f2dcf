import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { acceptInvite } from "../../../commands/accept-invite.ts";
import { AppError } from "../../../domain/app-error.ts";
import { getInvite } from "../../../queries/get-invite.ts";
import type { RouteModule } from "../../app-deps.ts";
import { formAgain, formRoute } from "../../forms/form-route.ts";
import { requiredText, typed, withRepeatedPassword } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { setSessionCookie } from "../../session.ts";
import { InvitePage } from "../../views/admin/invite-page.tsx";

const newAccountForm = withRepeatedPassword({ name: requiredText(120) });

type Params = { token: string };
type NewAccount = z.output<typeof newAccountForm>;

/**
 * The invitation link mailed by a campaign's team page. Outside the signed-in part of the console: the
 * invited person may have no account yet. An account holder signs in first and comes back here.
 */
export const inviteRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function inviteOf(token: string) {
    const invite = await getInvite(db, token, deps.now());
    if (!invite) throw new AppError("token_invalid");
    return invite;
  }

  app.get<{ Params: Params }>("/admin/invite/:token", async (request, reply) => {
    const invite = await inviteOf(request.params.token);
    return sendPage(
      reply,
      InvitePage({
        ctx: pageContext(request, reply),
        token: request.params.token,
        invite,
        signedInAs: request.user?.email,
      }),
    );
  });

  formRoute(app, deps, "/admin/invite/:token", {
    load: (request: FastifyRequest<{ Params: Params }>) => inviteOf(request.params.token),
    authorise: (request) => request.user,
    values: (body) => ({ name: typed(body, "name") }),
    // A signed-in account holder only accepts; a new person names the account and sets its password.
    schema: ({ user }): z.ZodType<Partial<NewAccount>> => (user ? z.object({}) : newAccountForm),
    command: async (form, { request, reply, user, loaded: invite, now }) => {
      const { token } = request.params;
      try {
        if (user) return await acceptInvite(deps, { token, kind: "existing", userId: user.id }, now);
        const result = await acceptInvite(
          deps,
          { token, kind: "new", name: form.name!, password: form.password!, locale: request.locale },
          now,
        );
        setSessionCookie(reply, result.sessionToken!, deps.config.secureCookies);
        return result;
      } catch (error) {
        const key =
          error instanceof AppError && error.code === "invalid_state" ? error.fields.email : undefined;
        if (key)
          return formAgain(409, {
            problem: request.t(key, { email: invite.email, current: user?.email ?? "" }),
          });
        throw error;
      }
    },
    render: ({ request, reply, user, loaded: invite }, status, form) =>
      sendPage(
        reply,
        InvitePage({
          ctx: pageContext(request, reply),
          token: request.params.token,
          invite,
          signedInAs: user?.email,
          ...form,
        }),
        status,
      ),
    redirect: (result) => `/admin/campaigns/${encodeURIComponent(result.campaignSlug)}`,
  });
};
