import { randomBytes } from "node:crypto";
import { boxReceiptSalt } from "../crypto/receipt-salt.ts";
import { seal } from "../crypto/seal.ts";
import { sealIdentity } from "../crypto/sealed-identity.ts";
import { confirmationMessageKey, manageTokenFor, updatesTokenFor } from "../crypto/signer-links.ts";
import { randomToken, sha256 } from "../crypto/tokens.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import { daysAfterStartOfDay, startOfUtcDay } from "../domain/coarse-time.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { displayName, matchKey, zawgyiToUnicode } from "../domain/names.ts";
import {
  conditionOfForm,
  type FieldProblems,
  problemsOf,
  type SignFormField,
  signFormSchema,
} from "../domain/sign-form.ts";
import { CONFIRMATION_DAYS, type SignOnClosedReason, signOnStatus } from "../domain/sign-on-rules.ts";
import type { Visibility } from "../domain/signature-states.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { commitment, SALT_BYTES } from "../domain/tlog/entries.ts";
import { type Locale, translator } from "../i18n/index.ts";
import { enqueueMail, mailQueued } from "../mail/outbox.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { getSignOnLetter, type SignOnLetter } from "../queries/get-sign-on-letter.ts";
import type { CommandDeps } from "../store/deps.ts";
import { insertUnderRandomId } from "../store/random-ids.ts";
import { hit } from "../store/rate-limit.ts";
import { recordSignerEvent } from "../store/signer-events.ts";

/*
 * An endorsement arrives from the sign form. What the server keeps of it:
 *
 * - listed: the public facts in the clear (display name, its match key, second-script name, category,
 *   country, website), because they are about to be published anyway; the contact (contact person, email,
 *   an individual's affiliation) only sealed.
 * - undisclosed: nothing in the clear but kind and visibility. Name, website, category, country and
 *   affiliation go into the sealed identity, contact person and email into the sealed contact. Category and
 *   country are sealed too: with few undisclosed signatories, "international, Norway" can be enough to name
 *   one, and public counts do not need them.
 *
 * - threshold (domain/threshold-disclosure.ts): stored undisclosed, as above, with the signer's condition for
 *   being listed (a number and perhaps a day) in the clear: it names nobody.
 *
 * Either box may arrive already sealed by the browser (JavaScript on); then the server never sees those
 * fields. The email address also travels in the clear because the confirmation mail must reach it: it
 * goes into the outbox row (erased once sent) and nowhere else, and no hash of it or of an undisclosed name
 * is stored anywhere, not even in a rate-limit key (the set of organisations is small enough to enumerate).
 *
 * Nothing stored says when, finer than the UTC day (domain/coarse-time.ts): the endorsement's times, its
 * link's expiry (the end of the eighth day), its event and its confirmation mail. That holds for listed
 * endorsements too, whose exact times would otherwise bracket an undisclosed one signed between them.
 */

/** Sign-on is limited per client prefix and UTC day (the limit is the operator's: config.limits). */
export const SIGN_LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000;

export type SignLetterInput = {
  slug: string;
  privateKey?: string | undefined;
  /** The letter as the caller just loaded it for `slug` (and key), which spares a second query. */
  letter?: SignOnLetter | undefined;
  form: unknown;
  /** The page's language: the confirmation mail is written in it. */
  locale: Locale;
  ip: string;
};

export type SignLetterResult =
  | { outcome: "sent"; signatureId: number; visibility: Visibility }
  /** Zawgyi was converted: nothing was stored; show the converted values and let the signer send again. */
  | { outcome: "check"; converted: Partial<Record<SignFormField, string>> }
  | { outcome: "invalid"; problems: FieldProblems }
  | { outcome: "closed"; reason: SignOnClosedReason }
  | { outcome: "rate_limited"; retryAfterMs: number }
  | { outcome: "not_found" };

/** Free-text fields in which a Burmese signer may have typed Zawgyi. */
const CONVERTIBLE: readonly SignFormField[] = ["name", "name_alt", "affiliation", "contact_person"];

export async function signLetter(
  deps: CommandDeps,
  input: SignLetterInput,
  now: Date,
): Promise<SignLetterResult> {
  const { db } = deps.store;
  const letter =
    input.letter ??
    (await getSignOnLetter(db, { slug: input.slug, language: input.locale, privateKey: input.privateKey }));
  if (!letter) return { outcome: "not_found" };
  // Checked before the transaction: a letter closing in the same millisecond as a submission is harmless.
  const status = signOnStatus(letter, letter, { paused: letter.signingPaused, now });
  if (!status.open) return { outcome: "closed", reason: status.reason };

  const parsed = signFormSchema(letter).safeParse(input.form ?? {});
  if (!parsed.success) return { outcome: "invalid", problems: problemsOf(parsed.error) };
  const form = parsed.data;

  const converted: Partial<Record<SignFormField, string>> = {};
  for (const field of CONVERTIBLE) {
    const value = form[field as keyof typeof form] as string | undefined;
    if (value !== undefined && zawgyiToUnicode(value, (s) => s.normalize("NFC")).converted) {
      converted[field] = displayName(value);
    }
  }
  if (Object.keys(converted).length > 0) return { outcome: "check", converted };

  const listed = form.visibility === "listed";
  // A threshold endorsement is stored undisclosed, with the signer's condition beside it.
  const visibility: Visibility = listed ? "listed" : "undisclosed";
  const condition = conditionOfForm(form);
  const name = form.name === undefined ? undefined : displayName(form.name);
  const nameAlt = form.name_alt === undefined ? undefined : displayName(form.name_alt);
  const key = listed && name ? matchKey(name) : null;
  // Sealing is CPU work: done before the transaction keeps it short. The payloads are versioned JSON that
  // the coordinators' console and CLI open; absent fields are left out rather than sent as empty strings.
  const publicKey = letter.publicKey!;
  // An undisclosed endorsement's log commitment salt goes inside its sealed record (the browser that sealed
  // the record chose it and sends it beside), so only the coalition key links the two; the signer's receipt
  // gets it boxed under the manage link. A listed one's is published with its name anyway.
  const identity = listed
    ? null
    : form.sealed_identity && form.identity_salt
      ? {
          sealed: form.sealed_identity,
          salt: form.identity_salt,
          commit: commitment(form.identity_salt, utf8(form.sealed_identity)),
        }
      : await sealIdentity(
          {
            v: 1,
            kind: form.kind,
            name,
            name_alt: nameAlt,
            website: form.website,
            category: form.category,
            country: form.country,
            affiliation: form.affiliation,
          },
          publicKey,
        );
  const sealedContact =
    form.sealed_contact ??
    (await seal(
      JSON.stringify({
        v: 1,
        contact_person: form.contact_person,
        email: form.email,
        ...(listed ? { affiliation: form.affiliation } : {}),
      }),
      publicKey,
    ));

  const token = randomToken();
  const at = startOfUtcDay(now);
  const listedSalt = listed ? randomBytes(SALT_BYTES).toString("base64url") : null;
  // The updates address is an explicit opt-in of listed signatories only (DESIGN.md): kept in the clear,
  // apart from the sealed contact, so update mails can reach it; erased by its one-click unsubscribe link.
  const updates = listed && form.updates;
  const result = await db.transaction().execute(async (trx): Promise<SignLetterResult> => {
    const byClient = await hit(
      trx,
      `sign:prefix:${clientPrefix(input.ip)}`,
      deps.config.limits.signPerPrefix,
      SIGN_LIMIT_WINDOW_MS,
      now,
    );
    if (!byClient.allowed) return { outcome: "rate_limited", retryAfterMs: byClient.retryAfterMs };

    if (key !== null) {
      const holder = await findNameHolder(trx, { letterId: letter.id, matchKey: key, states: ["approved"] });
      if (holder) return { outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } };
    }

    // A random id: the row must not sit between two imported rows whose times are exact.
    const row = await insertUnderRandomId((id) =>
      trx
        .insertInto("signatures")
        .values({
          id,
          letter_id: letter.id,
          version_id: letter.versionId,
          kind: form.kind,
          visibility,
          disclose_threshold: condition?.threshold ?? null,
          disclose_on: condition?.discloseOn ?? null,
          category: listed ? (form.category ?? null) : null,
          country: listed ? (form.country ?? null) : null,
          display_name: listed ? name! : null,
          display_name_alt: listed ? (nameAlt ?? null) : null,
          website: listed ? (form.website ?? null) : null,
          match_key: key,
          skeleton: key === null ? null : confusableSkeleton(name!),
          sealed_identity: identity?.sealed ?? null,
          sealed_contact: sealedContact,
          state: "unconfirmed",
          counted: 0,
          source: "form",
          listed_salt: listedSalt,
          undisclosed_commit: identity?.commit ?? null,
          receipt_salt_box: identity
            ? boxReceiptSalt(identity.salt, manageTokenFor(deps.secret, token))
            : null,
          updates_email: updates ? form.email : null,
          updates_token_hash: updates && listedSalt ? sha256(updatesTokenFor(deps.secret, listedSalt)) : null,
          confirm_token_hash: sha256(token),
          confirm_expires_at: confirmationExpiry(now),
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .executeTakeFirst(),
    );

    await queueConfirmationMail(trx, deps, { letter, token, to: form.email, locale: input.locale }, now);
    await recordSignerEvent(
      trx,
      { id: row.id, letter_id: letter.id, campaign_id: letter.campaignId },
      {
        action: "signature.submit",
        detail: {
          kind: form.kind,
          visibility,
          ...(condition ? { threshold: true } : {}),
          sealed_in_browser: form.sealed_identity !== undefined || form.sealed_contact !== undefined,
        },
      },
      now,
    );
    return { outcome: "sent", signatureId: row.id, visibility };
  });
  if (result.outcome === "sent") mailQueued();
  return result;
}

/** When a confirmation link sent at `now` runs out: the end of the eighth UTC day, whatever the hour. */
export function confirmationExpiry(now: Date): string {
  return daysAfterStartOfDay(now, CONFIRMATION_DAYS + 1);
}

/**
 * The confirmation mail. It names neither the signer nor the letter: the name typed may be an undisclosed
 * organisation's, a mail carrying text typed by whoever filled the form would let anyone send their words to
 * any address from us, and a subject naming the letter tells anyone who watches the inbox what was endorsed.
 * Its Message-ID is derived from the link's token, so confirming can erase the local mailbox's copy.
 */
export async function queueConfirmationMail(
  db: Parameters<typeof enqueueMail>[0],
  deps: Pick<CommandDeps, "config">,
  mail: { letter: { slug: string }; token: string; to: string; locale: Locale },
  now: Date,
): Promise<void> {
  const t = translator(mail.locale);
  const link = `${deps.config.baseUrl}/letters/${mail.letter.slug}/confirm/${mail.token}?lang=${mail.locale}`;
  await enqueueMail(
    db,
    {
      purpose: "confirmation",
      to: mail.to,
      subject: t("sign.mailSubject"),
      text: t("sign.mailBody", { link, days: CONFIRMATION_DAYS }),
      signerCaused: true,
      messageKey: confirmationMessageKey(mail.token),
    },
    now,
    new URL(deps.config.baseUrl).hostname,
  );
}
