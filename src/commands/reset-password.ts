import { hashPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { findUsableToken, spendToken } from "../store/one-time-tokens.ts";
import { endAllSessions } from "../store/sessions.ts";
import { checkTokenPost } from "../store/token-posts.ts";
import { actorOf, findUserById } from "../store/users.ts";

/**
 * Sets a new password from a reset link and ends every session of the account: whoever knew the old
 * password is signed out everywhere. A second factor stays on, so a reset link alone never opens the
 * console. Throws token_invalid for an unknown, expired or used link.
 */
export async function resetPassword(
  deps: CommandDeps,
  input: { token: string; password: string; ip: string },
  now: Date,
): Promise<void> {
  await checkTokenPost(deps, { purpose: "password_reset", token: input.token, ip: input.ip }, now);
  // Hashing is slow: before the transaction, so it never holds the database.
  const passwordHash = await hashPassword(input.password);
  await deps.store.db.transaction().execute(async (trx) => {
    const token = await findUsableToken(trx, "password_reset", input.token, now);
    const user = token?.user_id ? await findUserById(trx, token.user_id) : undefined;
    if (!token || !user || !(await spendToken(trx, token.id, now))) throw new AppError("token_invalid");
    await trx
      .updateTable("users")
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where("id", "=", user.id)
      .execute();
    const sessionsEnded = await endAllSessions(trx, user.id);
    await recordAudit(
      trx,
      {
        actor: actorOf(user),
        action: "user.password_reset",
        subjectType: "user",
        subjectId: user.id,
        detail: { sessions_ended: sessionsEnded },
      },
      now,
    );
  });
}
