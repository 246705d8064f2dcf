import { acceptInvite } from "../../../commands/accept-invite.ts";
import { AppError } from "../../../domain/app-error.ts";
import { getInvite } from "../../../queries/get-invite.ts";
import type { RouteModule } from "../../app-deps.ts";
import { csrfProblem, parseForm, requiredText, typed, withRepeatedPassword } from "../../forms/parse-form.ts";
import { pageContext, sendPage } from "../../render.ts";
import { setSessionCookie } from "../../session.ts";
import { InvitePage, type InvitePageProps } from "../../views/admin/invite-page.tsx";

const newAccountForm = withRepeatedPassword({ name: requiredText(120) });

type Params = { token: string };

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

  app.post<{ Params: Params }>(
    "/admin/invite/:token",
    { config: { csrf: "rerender" } },
    async (request, reply) => {
      const { token } = request.params;
      const invite = await inviteOf(token);
      const again = (status: number, props: Omit<InvitePageProps, "ctx" | "token" | "invite">) =>
        sendPage(
          reply,
          InvitePage({
            ctx: pageContext(request, reply),
            token,
            invite,
            signedInAs: request.user?.email,
            values: { name: typed(request.body, "name") },
            ...props,
          }),
          status,
        );
      const csrf = csrfProblem(request);
      if (csrf) return again(403, { problem: csrf });

      try {
        if (request.user) {
          const result = await acceptInvite(
            deps,
            { token, kind: "existing", userId: request.user.id },
            deps.now(),
          );
          return reply.redirect(`/admin/campaigns/${encodeURIComponent(result.campaignSlug)}`, 303);
        }
        const form = parseForm(newAccountForm, request.body, request.t);
        if (!form.ok) return again(400, { errors: form.errors, problem: request.t("error.validation") });
        const result = await acceptInvite(
          deps,
          { token, kind: "new", name: form.data.name, password: form.data.password, locale: request.locale },
          deps.now(),
        );
        setSessionCookie(reply, result.sessionToken!, deps.config.secureCookies);
        return reply.redirect(`/admin/campaigns/${encodeURIComponent(result.campaignSlug)}`, 303);
      } catch (error) {
        if (error instanceof AppError && error.code === "invalid_state") {
          const key = error.fields.email;
          if (key)
            return again(409, {
              problem: request.t(key, { email: invite.email, current: request.user?.email ?? "" }),
            });
        }
        throw error;
      }
    },
  );
};
