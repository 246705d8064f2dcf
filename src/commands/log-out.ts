import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { endSession, findLiveSession } from "../store/sessions.ts";
import { actorOf } from "../store/users.ts";

/** Ends the session on the server, so its cookie is worthless even if a copy of it survives somewhere. */
export async function logOut(deps: CommandDeps, input: { sessionId: string }, now: Date): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const session = await findLiveSession(trx, input.sessionId, now);
    await endSession(trx, input.sessionId);
    if (!session) return;
    const user = { id: session.userId, email: session.email };
    await recordAudit(
      trx,
      { actor: actorOf(user), action: "user.logout", subjectType: "user", subjectId: user.id },
      now,
    );
  });
}
