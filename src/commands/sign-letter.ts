import { randomBytes } from "node:crypto";
import { z } from "zod";
import { seal } from "../crypto/seal.ts";
import { updatesTokenFor } from "../crypto/signature-tokens.ts";
import { randomToken, sha256 } from "../crypto/tokens.ts";
import { isCountryCode } from "../domain/countries.ts";
import type { OptionalSignField } from "../domain/letter-settings.ts";
import { displayName, matchKey, zawgyiToUnicode } from "../domain/names.ts";
import {
  CONFIRMATION_TTL_MS,
  FIELD_LIMITS,
  kindsAccepted,
  SEALED_BOX_MAX_BYTES,
  SEALED_BOX_MIN_BYTES,
  SIGNING_PAUSED_SETTING,
  type SignOnClosedReason,
  signOnStatus,
  visibilitiesAccepted,
} from "../domain/sign-on-rules.ts";
import type { SignatureKind, Visibility } from "../domain/signature-states.ts";
import { type Locale, type MessageKey, translator } from "../i18n/index.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { getSignOnLetter, type SignOnLetter } from "../queries/get-sign-on-letter.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { hit, ipKey } from "../store/rate-limit.ts";
import { getSetting } from "../store/settings.ts";

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
 * Either box may arrive already sealed by the browser (JavaScript on); then the server never sees those
 * fields. The email address also travels in the clear because the confirmation mail must reach it: it
 * goes into the outbox row (erased once sent) and nowhere else, and no hash of it or of an undisclosed name
 * is stored anywhere, not even in a rate-limit key (the set of organisations is small enough to enumerate).
 */

/** Per client address: enough for an office behind one address endorsing several letters. */
export const SIGN_LIMITS = { perClient: { limit: 20, windowMs: 60 * 60 * 1000 } };

/** The form as posted: every field a string, or absent. */
export type SignForm = Partial<Record<SignFormField, string>>;
export type SignFormField =
  | "kind"
  | "visibility"
  | "name"
  | "name_alt"
  | "category"
  | "country"
  | "website"
  | "affiliation"
  | "contact_person"
  | "email"
  | "consent"
  | "updates"
  | "sealed_identity"
  | "sealed_contact";

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

export type FieldProblem = { key: MessageKey; params?: Record<string, number> };
export type FieldProblems = Partial<Record<SignFormField, FieldProblem>>;

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
  const paused = (await getSetting(db, SIGNING_PAUSED_SETTING)) === "1";
  // Checked before the transaction: a letter closing in the same millisecond as a submission is harmless.
  const status = signOnStatus(letter, letter, { paused, now });
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
  const name = form.name === undefined ? undefined : displayName(form.name);
  const nameAlt = form.name_alt === undefined ? undefined : displayName(form.name_alt);
  const key = listed && name ? matchKey(name) : null;
  // Sealing is CPU work: done before the transaction keeps it short. The payloads are versioned JSON that
  // the coordinators' console and CLI open; absent fields are left out rather than sent as empty strings.
  const publicKey = letter.publicKey!;
  const sealedIdentity = listed
    ? null
    : (form.sealed_identity ??
      (await seal(
        JSON.stringify({
          v: 1,
          kind: form.kind,
          name,
          name_alt: nameAlt,
          website: form.website,
          category: form.category,
          country: form.country,
          affiliation: form.affiliation,
        }),
        publicKey,
      )));
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
  const at = now.toISOString();
  const leafSalt = randomBytes(32).toString("base64url");
  // The updates address is an explicit opt-in of listed signatories only (DESIGN.md): kept in the clear,
  // apart from the sealed contact, so update mails can reach it; erased by its one-click unsubscribe link.
  const updates = listed && form.updates;
  return db.transaction().execute(async (trx): Promise<SignLetterResult> => {
    const byClient = await hit(
      trx,
      `sign:ip:${ipKey(deps.secret, input.ip)}`,
      SIGN_LIMITS.perClient.limit,
      SIGN_LIMITS.perClient.windowMs,
      now,
    );
    if (!byClient.allowed) return { outcome: "rate_limited", retryAfterMs: byClient.retryAfterMs };

    if (key !== null) {
      const holder = await findNameHolder(trx, { letterId: letter.id, matchKey: key, states: ["approved"] });
      if (holder) return { outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } };
    }

    const row = await trx
      .insertInto("signatures")
      .values({
        letter_id: letter.id,
        version_id: letter.versionId,
        kind: form.kind,
        visibility: form.visibility,
        category: listed ? (form.category ?? null) : null,
        country: listed ? (form.country ?? null) : null,
        display_name: listed ? name! : null,
        display_name_alt: listed ? (nameAlt ?? null) : null,
        website: listed ? (form.website ?? null) : null,
        match_key: key,
        sealed_identity: sealedIdentity,
        sealed_contact: sealedContact,
        state: "unconfirmed",
        source: "form",
        leaf_salt: leafSalt,
        updates_email: updates ? form.email : null,
        updates_token_hash: updates ? sha256(updatesTokenFor(deps.secret, leafSalt)) : null,
        confirm_token_hash: sha256(token),
        confirm_expires_at: new Date(now.getTime() + CONFIRMATION_TTL_MS).toISOString(),
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    await queueConfirmationMail(trx, deps, { letter, token, to: form.email, locale: input.locale }, now);
    await recordAudit(
      trx,
      {
        actor: "signer",
        action: "signature.submit",
        subjectType: "signature",
        subjectId: row.id,
        campaignId: letter.campaignId,
        letterId: letter.id,
        detail: {
          kind: form.kind,
          visibility: form.visibility,
          sealed_in_browser: form.sealed_identity !== undefined || form.sealed_contact !== undefined,
        },
      },
      now,
    );
    return { outcome: "sent", signatureId: row.id, visibility: form.visibility };
  });
}

/**
 * The confirmation mail. It names the letter, never the signer: the name typed may be an undisclosed
 * organisation's (and the local mailbox keeps what it delivers), and a mail carrying text typed by whoever
 * filled the form would let anyone send their words to any address from us.
 */
export async function queueConfirmationMail(
  db: Parameters<typeof enqueueMail>[0],
  deps: Pick<CommandDeps, "config">,
  mail: { letter: { slug: string; title: string }; token: string; to: string; locale: Locale },
  now: Date,
): Promise<void> {
  const t = translator(mail.locale);
  const link = `${deps.config.baseUrl}/letters/${mail.letter.slug}/confirm/${mail.token}?lang=${mail.locale}`;
  await enqueueMail(
    db,
    {
      purpose: "confirmation",
      to: mail.to,
      subject: t("sign.mailSubject", { title: mail.letter.title }),
      text: t("sign.mailBody", { title: mail.letter.title, link, days: CONFIRMATION_TTL_MS / 86_400_000 }),
    },
    now,
    new URL(deps.config.baseUrl).hostname,
  );
}

const SEALED_BOX = /^[A-Za-z0-9+/]+={0,2}$/;

/** A sealed box from the browser: standard base64 of a plausible size. Its content cannot be checked here. */
const sealedBox = z
  .string()
  .trim()
  .max(Math.ceil(SEALED_BOX_MAX_BYTES / 3) * 4, "sign.invalidSealed")
  .optional()
  .transform((v) => v || undefined)
  .refine((v) => {
    if (v === undefined) return true;
    if (!SEALED_BOX.test(v) || v.length % 4 !== 0) return false;
    const bytes = Buffer.from(v, "base64").length;
    return bytes >= SEALED_BOX_MIN_BYTES && bytes <= SEALED_BOX_MAX_BYTES;
  }, "sign.invalidSealed");

const text = (max: number) =>
  z
    .string({ error: "sign.invalidValue" })
    .trim()
    .max(max, "field.tooLong")
    .optional()
    .transform((v) => v || undefined);

/** Accepts "example.org" as well as "https://example.org/path"; stores a full http(s) URL. */
const website = text(FIELD_LIMITS.website)
  .transform((v) => (v === undefined || /^https?:\/\//i.test(v) ? v : `https://${v}`))
  .refine((v) => {
    if (v === undefined) return true;
    try {
      const url = new URL(v);
      return (url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".");
    } catch {
      return false;
    }
  }, "sign.invalidWebsite");

/** Where each optional field's "required" error goes when a sealed box replaced it. */
const IDENTITY_FIELDS: readonly OptionalSignField[] = [
  "name_alt",
  "category",
  "country",
  "website",
  "affiliation",
];

/**
 * The sign form's schema for one letter: which kinds and visibilities it takes, its categories and its
 * required fields. Messages are i18n keys; sizes are capped on every field. Building a zod schema costs
 * about a millisecond, more than the rest of the validation, so one is kept per distinct set of settings.
 */
export function signFormSchema(letter: SignOnLetter): ReturnType<typeof buildSignFormSchema> {
  const settings = JSON.stringify([
    letter.signers,
    visibilitiesAccepted(letter),
    letter.categories,
    letter.requiredFields,
  ]);
  let schema = schemas.get(settings);
  if (!schema) {
    if (schemas.size >= 100) schemas.clear();
    schema = buildSignFormSchema(letter);
    schemas.set(settings, schema);
  }
  return schema;
}

const schemas = new Map<string, ReturnType<typeof buildSignFormSchema>>();

function buildSignFormSchema(letter: SignOnLetter) {
  const kinds = kindsAccepted(letter.signers);
  const visibilities = visibilitiesAccepted(letter);
  return z
    .object({
      // A letter that takes one kind (or only listed endorsements) does not ask; the choice is implied.
      kind: z
        .string({ error: "field.required" })
        .optional()
        .transform((v) => v ?? (kinds.length === 1 ? kinds[0] : undefined))
        .pipe(z.enum(kinds as [SignatureKind, ...SignatureKind[]], "sign.chooseKind")),
      visibility: z
        .string({ error: "field.required" })
        .optional()
        .transform((v) => v ?? (visibilities.length === 1 ? visibilities[0] : undefined))
        .pipe(z.enum(visibilities as [Visibility, ...Visibility[]], "sign.chooseVisibility")),
      name: text(FIELD_LIMITS.name),
      name_alt: text(FIELD_LIMITS.name_alt),
      category: text(FIELD_LIMITS.category),
      country: text(2),
      website,
      affiliation: text(FIELD_LIMITS.affiliation),
      contact_person: text(FIELD_LIMITS.contact_person),
      email: z
        .string({ error: "field.required" })
        .trim()
        .min(1, "field.required")
        .max(FIELD_LIMITS.email, "field.tooLong")
        .pipe(z.email("field.email")),
      consent: z.literal("yes", "sign.consentRequired"),
      updates: z
        .string()
        .optional()
        .transform((v) => v === "yes"),
      sealed_identity: sealedBox,
      sealed_contact: sealedBox,
    })
    .superRefine((form, ctx) => {
      const problem = (path: string, message: MessageKey) =>
        ctx.addIssue({ code: "custom", path: [path], message });
      const identitySealed = form.visibility === "undisclosed" && form.sealed_identity !== undefined;
      const contactSealed = form.sealed_contact !== undefined;
      if (!identitySealed && form.name === undefined) problem("name", "field.required");
      if (form.updates && form.visibility === "undisclosed") problem("updates", "sign.updatesListedOnly");
      for (const field of letter.requiredFields) {
        const sealedAway =
          field === "contact_person" || (field === "affiliation" && form.visibility === "listed")
            ? contactSealed
            : identitySealed && IDENTITY_FIELDS.includes(field);
        if (!sealedAway && form[field] === undefined) problem(field, "field.required");
      }
      if (
        form.category !== undefined &&
        letter.categories.length > 0 &&
        !letter.categories.includes(form.category)
      ) {
        problem("category", "sign.invalidChoice");
      }
      if (form.country !== undefined && !isCountryCode(form.country))
        problem("country", "sign.invalidChoice");
    });
}

function problemsOf(error: z.ZodError): FieldProblems {
  const problems: FieldProblems = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form") as SignFormField;
    if (problems[field]) continue;
    const key = (issue.message in MESSAGE_KEYS ? issue.message : "sign.invalidValue") as MessageKey;
    const limits = issue as { maximum?: unknown };
    problems[field] = typeof limits.maximum === "number" ? { key, params: { max: limits.maximum } } : { key };
  }
  return problems;
}

/** The messages this schema uses; anything else zod says is reported as an invalid value. */
const MESSAGE_KEYS: Record<string, true> = Object.fromEntries(
  [
    "field.required",
    "field.tooLong",
    "field.email",
    "sign.chooseKind",
    "sign.chooseVisibility",
    "sign.consentRequired",
    "sign.invalidSealed",
    "sign.invalidValue",
    "sign.invalidWebsite",
    "sign.invalidChoice",
    "sign.updatesListedOnly",
  ].map((k) => [k, true]),
);
