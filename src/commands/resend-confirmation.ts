import { randomToken, sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { chooseTranslation } from "../domain/public-letters.ts";
import { CONFIRMATION_TTL_MS } from "../domain/sign-on-rules.ts";
import type { Locale } from "../i18n/index.ts";
import { loadTranslations } from "../queries/translations.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { hit, ipKey } from "../store/rate-limit.ts";
import { queueConfirmationMail } from "./sign-letter.ts";

/*
 * A new confirmation link for an endorsement whose link expired unconfirmed. The server cannot check the
 * address typed on the resend form against the one given at signing (that one is sealed, and no hash of it
 * is kept), so it does not try: it mails a fresh link to the address typed and invalidates the old link.
 *
 * Why this cannot be turned into a spam cannon: the form is reachable only through an expired confirmation
 * link, i.e. by someone who signed (rate-limited per client) at least a week earlier; each such link yields
 * at most RESEND_LIMITS.perSignature mails a day, each client address at most RESEND_LIMITS.perClient an
 * hour; and the mail's text is ours alone (the letter's title and the link), so nobody can put their words
 * in it. Signing itself already lets anyone send one such mail to any address, so resend adds no reach.
 */
export const RESEND_LIMITS = {
  perSignature: { limit: 3, windowMs: 24 * 60 * 60 * 1000 },
  perClient: { limit: 10, windowMs: 60 * 60 * 1000 },
};

export type ResendConfirmationResult =
  | { outcome: "sent" }
  | { outcome: "rate_limited"; retryAfterMs: number };

export async function resendConfirmation(
  deps: CommandDeps,
  input: { slug: string; token: string; email: string; locale: Locale; ip: string },
  now: Date,
): Promise<ResendConfirmationResult> {
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select([
        "signatures.id",
        "signatures.state",
        "signatures.version_id",
        "signatures.confirm_expires_at",
        "letters.id as letter_id",
        "letters.slug",
        "letters.campaign_id",
        "letters.default_language",
      ])
      .where("signatures.confirm_token_hash", "=", sha256(input.token))
      .where("letters.slug", "=", input.slug)
      .executeTakeFirst();
    // Only an unconfirmed endorsement whose link has run out: a live link needs no resend.
    if (signature?.state !== "unconfirmed" || (signature.confirm_expires_at ?? at) > at) {
      throw new AppError("token_invalid");
    }
    const limits = [
      await hit(
        trx,
        `resend:signature:${signature.id}`,
        RESEND_LIMITS.perSignature.limit,
        RESEND_LIMITS.perSignature.windowMs,
        now,
      ),
      await hit(
        trx,
        `resend:ip:${ipKey(deps.secret, input.ip)}`,
        RESEND_LIMITS.perClient.limit,
        RESEND_LIMITS.perClient.windowMs,
        now,
      ),
    ];
    const refused = limits.find((l) => !l.allowed);
    if (refused) return { outcome: "rate_limited", retryAfterMs: refused.retryAfterMs };

    const token = randomToken();
    await trx
      .updateTable("signatures")
      .set({
        confirm_token_hash: sha256(token),
        confirm_expires_at: new Date(now.getTime() + CONFIRMATION_TTL_MS).toISOString(),
        updated_at: at,
      })
      .where("id", "=", signature.id)
      .execute();
    const translations =
      (await loadTranslations(trx, [signature.version_id])).get(signature.version_id) ?? [];
    const title =
      chooseTranslation(translations, input.locale, signature.default_language)?.title ?? signature.slug;
    await queueConfirmationMail(
      trx,
      deps,
      { letter: { slug: signature.slug, title }, token, to: input.email, locale: input.locale },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: "signer",
        action: "signature.resend_confirmation",
        subjectType: "signature",
        subjectId: signature.id,
        campaignId: signature.campaign_id,
        letterId: signature.letter_id,
      },
      now,
    );
    return { outcome: "sent" };
  });
}
