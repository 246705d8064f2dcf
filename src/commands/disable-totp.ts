import { verifyPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import {
  checkSecondFactor,
  hitSecondFactorLimit,
  lockSecondFactor,
  SECOND_FACTOR_LIMIT,
  spendSecondFactor,
} from "../store/second-factor.ts";
import { actorOf, findUserById } from "../store/users.ts";

export type DisableTotpResult =
  | { outcome: "disabled" }
  | { outcome: "refused" }
  | { outcome: "rate_limited"; retryAfterMs: number };

/**
 * Turns two-factor authentication off, but only for someone who proves again who they are, with the
 * password or a current code: an unattended signed-in browser must not be enough to remove the factor.
 */
export async function disableTotp(
  deps: CommandDeps,
  input: { userId: number; password?: string | undefined; code?: string | undefined },
  now: Date,
): Promise<DisableTotpResult> {
  const { db } = deps.store;
  const current = await findUserById(db, input.userId);
  if (!current) throw new AppError("unauthenticated");
  // Checked before the transaction: argon2 is slow and must not hold the database.
  const passwordRight = input.password ? await verifyPassword(current.password_hash, input.password) : false;

  return db.transaction().execute(async (trx) => {
    const user = await lockSecondFactor(trx, deps.store.dialect, input.userId);
    if (!user) throw new AppError("unauthenticated");
    if (!user.totp_enabled_at) throw new AppError("invalid_state");
    const limit = await hitSecondFactorLimit(trx, user.id, SECOND_FACTOR_LIMIT, now);
    if (!limit.allowed) return { outcome: "rate_limited", retryAfterMs: limit.retryAfterMs };

    const actor = actorOf(user);
    const proof = input.code ? await checkSecondFactor(trx, user, input.code, now) : null;
    const passwordStillCurrent = passwordRight && user.password_hash === current.password_hash;
    if (!proof && !passwordStillCurrent) {
      await recordAudit(
        trx,
        { actor, action: "user.totp_disable_failed", subjectType: "user", subjectId: user.id },
        now,
      );
      return { outcome: "refused" };
    }

    await trx
      .updateTable("users")
      .set({ totp_secret: null, totp_enabled_at: null, recovery_codes: null, updated_at: now.toISOString() })
      .where("id", "=", user.id)
      .execute();
    if (proof) {
      await spendSecondFactor(trx, user, proof, { actor, action: "user.totp_disabled" }, now);
    } else {
      await recordAudit(
        trx,
        {
          actor,
          action: "user.totp_disabled",
          subjectType: "user",
          subjectId: user.id,
          detail: { method: "password" },
        },
        now,
      );
    }
    return { outcome: "disabled" };
  });
}
