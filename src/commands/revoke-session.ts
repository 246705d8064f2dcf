import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { actorOf } from "../store/users.ts";

/**
 * Signs one of one's own sessions out (a browser left signed in elsewhere). Only the asker's own sessions
 * can be named; any other id changes nothing.
 */
export async function revokeSession(
  deps: Pick<CommandDeps, "store">,
  input: { user: { id: number; email: string }; sessionId: string },
  now: Date,
): Promise<{ changed: boolean }> {
  return deps.store.db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom("sessions")
      .where("id", "=", input.sessionId)
      .where("user_id", "=", input.user.id)
      .executeTakeFirst();
    const changed = Number(result.numDeletedRows) === 1;
    if (changed)
      await recordAudit(
        trx,
        {
          actor: actorOf(input.user),
          action: "user.session_revoked",
          subjectType: "user",
          subjectId: input.user.id,
        },
        now,
      );
    return { changed };
  });
}
