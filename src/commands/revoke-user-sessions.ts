import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { endAllSessions } from "../store/sessions.ts";

/**
 * An owner signs another account out everywhere (a lost phone, someone leaving the coalition, before
 * disabling the account). Their password and TOTP stay as they are.
 */
export async function revokeUserSessions(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; userId: number },
  now: Date,
): Promise<{ ended: number }> {
  authorise(input.actor, "users.manage");
  return deps.store.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select("id").where("id", "=", input.userId).executeTakeFirst();
    if (!user) throw new AppError("not_found");
    const ended = await endAllSessions(trx, user.id);
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "user.sessions_revoked",
        subjectType: "user",
        subjectId: user.id,
        detail: { sessions_ended: ended, scope: "all" },
      },
      now,
    );
    return { ended };
  });
}
