import { boxReceiptSalt, openReceiptSalt } from "../crypto/receipt-salt.ts";
import { manageTokenFor } from "../crypto/signer-links.ts";
import { randomToken, sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import type { Locale } from "../i18n/index.ts";
import { mailQueued } from "../mail/outbox.ts";
import type { CommandDeps } from "../store/deps.ts";
import { hit } from "../store/rate-limit.ts";
import { signatureBySignerLink } from "../store/signature-rows.ts";
import { recordSignerEvent } from "../store/signer-events.ts";
import { confirmationExpiry, queueConfirmationMail } from "./sign-letter.ts";

/*
 * A new confirmation link for an endorsement whose link expired unconfirmed. The server cannot check the
 * address typed on the resend form against the one given at signing (that one is sealed, and no hash of it
 * is kept), so it does not try: it mails a fresh link to the address typed and invalidates the old link.
 *
 * Why this cannot be turned into a spam cannon: the form is reachable only through an expired confirmation
 * link, i.e. by someone who signed (rate-limited per client) at least a week earlier; each such link yields
 * at most RESEND_LIMITS.perSignature mails a day, each client prefix at most the operator's
 * RESEND_LIMIT_PER_PREFIX a day; and the mail's text is ours alone (the letter's title and the link), so nobody can put their words
 * in it. Signing itself already lets anyone send one such mail to any address, so resend adds no reach.
 */
// Day-long windows: a window's row must not say more of a signer's moment than the UTC day.
export const RESEND_LIMITS = { perSignature: { limit: 3 }, windowMs: 24 * 60 * 60 * 1000 };

export type ResendConfirmationResult =
  | { outcome: "sent" }
  | { outcome: "rate_limited"; retryAfterMs: number };

export async function resendConfirmation(
  deps: CommandDeps,
  input: { slug: string; token: string; email: string; locale: Locale; ip: string },
  now: Date,
): Promise<ResendConfirmationResult> {
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx): Promise<ResendConfirmationResult> => {
    const signature = await signatureBySignerLink(trx, "signatures.confirm_token_hash", input)
      .select(["signatures.confirm_expires_at", "signatures.receipt_salt_box"])
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
        RESEND_LIMITS.windowMs,
        now,
      ),
      await hit(
        trx,
        `resend:prefix:${clientPrefix(input.ip)}`,
        deps.config.limits.resendPerPrefix,
        RESEND_LIMITS.windowMs,
        now,
      ),
    ];
    const refused = limits.find((l) => !l.allowed);
    if (refused) return { outcome: "rate_limited", retryAfterMs: refused.retryAfterMs };

    const token = randomToken();
    // The receipt's salt is boxed under the manage link the confirmation token gives: it follows the token.
    const salt = signature.receipt_salt_box
      ? openReceiptSalt(signature.receipt_salt_box, manageTokenFor(deps.secret, input.token))
      : null;
    await trx
      .updateTable("signatures")
      .set({
        ...(salt ? { receipt_salt_box: boxReceiptSalt(salt, manageTokenFor(deps.secret, token)) } : {}),
        confirm_token_hash: sha256(token),
        confirm_expires_at: confirmationExpiry(now),
        updated_at: startOfUtcDay(now),
      })
      .where("id", "=", signature.id)
      .execute();
    await queueConfirmationMail(
      trx,
      deps,
      { letter: { slug: input.slug }, token, to: input.email, locale: input.locale },
      now,
    );
    await recordSignerEvent(trx, signature, { action: "signature.resend_confirmation" }, now);
    return { outcome: "sent" };
  });
  if (result.outcome === "sent") mailQueued();
  return result;
}
