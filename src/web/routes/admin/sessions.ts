import { revokeOtherSessions } from "../../../commands/revoke-other-sessions.ts";
import { revokeSession } from "../../../commands/revoke-session.ts";
import { AppError } from "../../../domain/app-error.ts";
import { plural } from "../../../i18n/index.ts";
import { listSessions } from "../../../store/sessions.ts";
import type { RouteModule } from "../../app-deps.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requireUser } from "../../session.ts";
import { SessionsPage } from "../../views/admin/sessions-page.tsx";

const SESSION_ID = /^[0-9a-f]{64}$/;

/** One's own sessions: see where one is signed in, sign one or all the others out. */
export const sessionRoutes: RouteModule = async (app, deps) => {
  app.get<{ Querystring: { ended?: string } }>("/admin/sessions", async (request, reply) => {
    const user = requireUser(request);
    const ended = Number(request.query.ended);
    return sendPage(
      reply,
      SessionsPage({
        ctx: pageContext(request, reply),
        user,
        sessions: await listSessions(deps.store.db, user.id, deps.now()),
        notice:
          Number.isSafeInteger(ended) && request.query.ended !== undefined
            ? plural(request.t, "sessions.ended", ended)
            : undefined,
      }),
    );
  });

  app.post<{ Params: { id: string } }>("/admin/sessions/:id/revoke", async (request, reply) => {
    const user = requireUser(request);
    if (!SESSION_ID.test(request.params.id)) throw new AppError("not_found");
    const { changed } = await revokeSession(deps, { user, sessionId: request.params.id }, deps.now());
    return reply.redirect(`/admin/sessions?ended=${changed ? 1 : 0}`, 303);
  });

  app.post("/admin/sessions/revoke-others", async (request, reply) => {
    const user = requireUser(request);
    const { ended } = await revokeOtherSessions(deps, { user, currentSessionId: user.sessionId }, deps.now());
    return reply.redirect(`/admin/sessions?ended=${ended}`, 303);
  });
};
