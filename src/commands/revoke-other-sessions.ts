import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { endOtherSessions } from "../store/sessions.ts";
import { actorOf } from "../store/users.ts";

/** Signs out every session of one's own account except the one asking ("sign out everywhere else"). */
export async function revokeOtherSessions(
  deps: Pick<CommandDeps, "store">,
  input: { user: { id: number; email: string }; currentSessionId: string },
  now: Date,
): Promise<{ ended: number }> {
  return deps.store.db.transaction().execute(async (trx) => {
    const ended = await endOtherSessions(trx, input.user.id, input.currentSessionId);
    await recordAudit(
      trx,
      {
        actor: actorOf(input.user),
        action: "user.sessions_revoked",
        subjectType: "user",
        subjectId: input.user.id,
        detail: { sessions_ended: ended, scope: "others" },
      },
      now,
    );
    return { ended };
  });
}
