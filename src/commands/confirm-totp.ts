import { acceptTotpCode, generateRecoveryCodes, hashRecoveryCode } from "../crypto/totp.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import {
  hitSecondFactorLimit,
  lastTotpStep,
  lockSecondFactor,
  SECOND_FACTOR_LIMIT,
} from "../store/second-factor.ts";
import { markSecondFactor } from "../store/sessions.ts";
import { actorOf } from "../store/users.ts";

export type ConfirmTotpResult =
  | { outcome: "enabled"; recoveryCodes: string[] }
  | { outcome: "refused" }
  | { outcome: "rate_limited"; retryAfterMs: number };

/**
 * Turns two-factor authentication on once a code from the app matches the enrolled secret, and returns the
 * recovery codes: this is the only time they exist in readable form.
 */
export async function confirmTotp(
  deps: CommandDeps,
  /** The session confirming, which thereby counts as having given a code (store/sessions.ts). */
  input: { userId: number; code: string; sessionId?: string },
  now: Date,
): Promise<ConfirmTotpResult> {
  return deps.store.db.transaction().execute(async (trx) => {
    const user = await lockSecondFactor(trx, deps.store.dialect, input.userId);
    if (!user) throw new AppError("unauthenticated");
    if (user.totp_enabled_at || !user.totp_secret) throw new AppError("invalid_state");

    const limit = await hitSecondFactorLimit(trx, user.id, SECOND_FACTOR_LIMIT, now);
    if (!limit.allowed) return { outcome: "rate_limited", retryAfterMs: limit.retryAfterMs };
    const step = acceptTotpCode(user.totp_secret, input.code, now, await lastTotpStep(trx, user.id, now));
    if (step === null) return { outcome: "refused" };

    const recoveryCodes = generateRecoveryCodes();
    await trx
      .updateTable("users")
      .set({
        totp_enabled_at: now.toISOString(),
        recovery_codes: JSON.stringify(recoveryCodes.map(hashRecoveryCode)),
        updated_at: now.toISOString(),
      })
      .where("id", "=", user.id)
      .execute();
    if (input.sessionId) await markSecondFactor(trx, input.sessionId, now);
    await recordAudit(
      trx,
      {
        actor: actorOf(user),
        action: "user.totp_enabled",
        subjectType: "user",
        subjectId: user.id,
        // The step is recorded so the code just typed cannot also be used to sign in.
        detail: { totp_step: step, recovery_codes: recoveryCodes.length },
      },
      now,
    );
    return { outcome: "enabled", recoveryCodes };
  });
}
