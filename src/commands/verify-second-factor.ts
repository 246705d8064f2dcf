import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { hit } from "../store/rate-limit.ts";
import { checkSecondFactor, lockSecondFactor, spendSecondFactor } from "../store/second-factor.ts";
import { completeSecondFactor, findLiveSession, markSecondFactor } from "../store/sessions.ts";
import { actorOf } from "../store/users.ts";

/*
 * The second step of sign-in: a TOTP code or a recovery code completes a session that passed the password
 * step. With `stepUp`, the same code is asked of a complete session that never gave one (signed in before
 * TOTP was turned on) when it opens a campaign that requires TOTP. Attempts are limited per account, whichever session they come from, so opening fresh sessions
 * does not buy more guesses.
 */
export const SECOND_FACTOR_LIMIT = { limit: 10, windowMs: 15 * 60 * 1000 };

export type VerifySecondFactorResult =
  | { outcome: "verified" }
  | { outcome: "refused" }
  | { outcome: "rate_limited"; retryAfterMs: number }
  /** The session is unknown, expired, or already complete: start again from the password. */
  | { outcome: "no_pending_session" };

export type VerifySecondFactorInput = { sessionId: string; code: string; stepUp?: boolean };

export async function verifySecondFactor(
  deps: CommandDeps,
  input: VerifySecondFactorInput,
  now: Date,
): Promise<VerifySecondFactorResult> {
  return deps.store.db.transaction().execute(async (trx) => {
    const session = await findLiveSession(trx, input.sessionId, now);
    const waiting = input.stepUp
      ? session?.secondFactorAt !== null && session?.totpEnabledAt !== null
      : session?.secondFactorAt === null;
    if (!session || !waiting) return { outcome: "no_pending_session" };
    const user = await lockSecondFactor(trx, deps.store.dialect, session.userId);
    if (!user) return { outcome: "no_pending_session" };

    const limit = await hit(
      trx,
      `second-factor:user:${user.id}`,
      SECOND_FACTOR_LIMIT.limit,
      SECOND_FACTOR_LIMIT.windowMs,
      now,
    );
    const failed = (reason: string) =>
      recordAudit(
        trx,
        {
          actor: "system",
          action: "user.second_factor_failed",
          subjectType: "user",
          subjectId: user.id,
          detail: { reason },
        },
        now,
      );
    if (!limit.allowed) {
      await failed("rate_limited");
      return { outcome: "rate_limited", retryAfterMs: limit.retryAfterMs };
    }
    const proof = await checkSecondFactor(trx, user, input.code, now);
    if (!proof) {
      await failed("wrong_code");
      return { outcome: "refused" };
    }
    await spendSecondFactor(trx, user, proof, { actor: actorOf(user), action: "user.second_factor" }, now);
    if (input.stepUp) await markSecondFactor(trx, session.sessionId, now);
    else await completeSecondFactor(trx, session, now);
    return { outcome: "verified" };
  });
}
