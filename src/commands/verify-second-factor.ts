import type { Kysely } from "kysely";
import { isLocale, translator } from "../i18n/index.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import type { Database } from "../store/schema.ts";
import {
  checkSecondFactor,
  hitSecondFactorLimit,
  lockSecondFactor,
  SECOND_FACTOR_BACKOFF,
  spendSecondFactor,
} from "../store/second-factor.ts";
import { completeSecondFactor, findLiveSession, markSecondFactor } from "../store/sessions.ts";
import { actorOf } from "../store/users.ts";

/*
 * The second step of sign-in: a TOTP code or a recovery code completes a session that passed the password
 * step. With `stepUp`, the same code is asked of a complete session that never gave one (signed in before
 * TOTP was turned on) when it opens a campaign that requires TOTP. Attempts are limited per account,
 * whichever session they come from, so opening fresh sessions does not buy more guesses; and the waits grow
 * as guesses go on (a quarter hour's allowance, then an hour's, then a day's), so someone who holds the
 * password cannot keep guessing codes at the pace of the first window. The account holder gets a mail once
 * an hour's wrong codes reach ALERT_AFTER_WRONG_CODES: their password is known to someone.
 */
export const ALERT_AFTER_WRONG_CODES = 5;

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

    const tiers = [];
    for (const tier of SECOND_FACTOR_BACKOFF) tiers.push(await hitSecondFactorLimit(trx, user.id, tier, now));
    const refusedBy = tiers.filter((tier) => !tier.allowed);
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
    if (refusedBy.length > 0) {
      await failed("rate_limited");
      return {
        outcome: "rate_limited",
        retryAfterMs: Math.max(...refusedBy.map((tier) => tier.retryAfterMs)),
      };
    }
    const proof = await checkSecondFactor(trx, user, input.code, now);
    if (!proof) {
      await failed("wrong_code");
      // The hour's count (the second tier): one mail when it reaches the threshold, none for each guess after.
      if (tiers[1]!.hits === ALERT_AFTER_WRONG_CODES) await mailWrongCodes(deps, trx, user, now);
      return { outcome: "refused" };
    }
    await spendSecondFactor(trx, user, proof, { actor: actorOf(user), action: "user.second_factor" }, now);
    if (input.stepUp) await markSecondFactor(trx, session.sessionId, now);
    else await completeSecondFactor(trx, session, now);
    return { outcome: "verified" };
  });
}

/** Tells the account holder that someone who has their password is guessing their codes. */
async function mailWrongCodes(
  deps: CommandDeps,
  trx: Kysely<Database>,
  user: { email: string; locale: string },
  now: Date,
): Promise<void> {
  const t = translator(isLocale(user.locale) ? user.locale : "en");
  await enqueueMail(
    trx,
    {
      purpose: "second_factor_alert",
      to: user.email,
      subject: t("security.wrongCodesMailSubject"),
      text: t("security.wrongCodesMailBody", {
        count: ALERT_AFTER_WRONG_CODES,
        link: `${deps.config.baseUrl}/admin/password/forgot`,
      }),
    },
    now,
    new URL(deps.config.baseUrl).hostname,
  );
}
