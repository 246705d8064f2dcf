import { keyedDigest } from "../crypto/tokens.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import { isLocale, translator } from "../i18n/index.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { issueToken } from "../store/one-time-tokens.ts";
import { hit } from "../store/rate-limit.ts";
import { actorOf, findUserByEmail, normaliseEmail } from "../store/users.ts";

export const RESET_LINK_TTL_MS = 60 * 60 * 1000;

/*
 * Few resets per account and per client address per hour: enough for someone who mistyped or lost a mail,
 * too few to flood an inbox with reset mails.
 */
export const RESET_LIMITS = {
  perAccount: { limit: 3, windowMs: 60 * 60 * 1000 },
  perClient: { limit: 10, windowMs: 60 * 60 * 1000 },
};

/**
 * Mails a one-hour reset link, in the account's language, when the address has an account. Returns nothing
 * either way, so the answer never tells whether an address has an account here.
 */
export async function requestPasswordReset(
  deps: CommandDeps,
  input: { email: string; ip: string },
  now: Date,
): Promise<void> {
  const email = normaliseEmail(input.email);
  await deps.store.db.transaction().execute(async (trx) => {
    const byAccount = await hit(
      trx,
      `reset:account:${keyedDigest(deps.secret, "email", email)}`,
      RESET_LIMITS.perAccount.limit,
      RESET_LIMITS.perAccount.windowMs,
      now,
    );
    const byClient = await hit(
      trx,
      `reset:prefix:${clientPrefix(input.ip)}`,
      RESET_LIMITS.perClient.limit,
      RESET_LIMITS.perClient.windowMs,
      now,
    );
    const user = await findUserByEmail(trx, email);
    const subject = { subjectType: "user", subjectId: user?.id ?? null };
    if (!byAccount.allowed || !byClient.allowed) {
      await recordAudit(
        trx,
        {
          actor: "system",
          action: "user.password_reset_refused",
          ...subject,
          detail: { reason: "rate_limited" },
        },
        now,
      );
      return;
    }
    if (!user) {
      // Recorded without the typed address: it may be a mistyped password, or someone else's address.
      await recordAudit(
        trx,
        {
          actor: "system",
          action: "user.password_reset_requested",
          ...subject,
          detail: { account: "unknown" },
        },
        now,
      );
      return;
    }

    const { token } = await issueToken(
      trx,
      { purpose: "password_reset", userId: user.id, ttlMs: RESET_LINK_TTL_MS },
      now,
    );
    const t = translator(isLocale(user.locale) ? user.locale : "en");
    await enqueueMail(
      trx,
      {
        purpose: "password_reset",
        to: user.email,
        subject: t("reset.mailSubject"),
        text: t("reset.mailBody", { link: `${deps.config.baseUrl}/admin/password/reset/${token}` }),
      },
      now,
      new URL(deps.config.baseUrl).hostname,
    );
    await recordAudit(
      trx,
      { actor: actorOf(user), action: "user.password_reset_requested", ...subject },
      now,
    );
  });
}
