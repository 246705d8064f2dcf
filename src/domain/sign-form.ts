import { z } from "zod";
import type { MessageKey } from "../i18n/index.ts";
import { isCountryCode } from "./countries.ts";
import type { OptionalSignField, Signers } from "./letter-settings.ts";
import { nameProblem } from "./names.ts";
import {
  FIELD_LIMITS,
  kindsAccepted,
  SEALED_BOX_MAX_BYTES,
  SEALED_BOX_MIN_BYTES,
  visibilityChoices,
} from "./sign-on-rules.ts";
import type { SignatureKind } from "./signature-states.ts";
import { textProblem } from "./text-input.ts";
import {
  DEFAULT_THRESHOLD,
  type ListingCondition,
  MAX_THRESHOLD,
  parseDay,
  type VisibilityChoice,
} from "./threshold-disclosure.ts";
import { fromBase64 } from "./tlog/bytes.ts";
import { SALT_BYTES } from "./tlog/entries.ts";
import { normaliseWebsite } from "./website.ts";

/*
 * The sign form's fields and their schema, shared by the sign command (which reads a submission with it)
 * and the sign page (which shows the same fields). Messages are i18n keys.
 */

/** What of a letter decides its sign form: who may sign, how, in which categories, and what is required. */
export type SignFormSettings = {
  signers: Signers;
  allowUndisclosed: boolean;
  categories: string[];
  requiredFields: OptionalSignField[];
};

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
  | "threshold"
  | "disclose_on"
  | "sealed_identity"
  | "sealed_contact"
  | "identity_salt";

export type FieldProblem = { key: MessageKey; params?: Record<string, number> };
export type FieldProblems = Partial<Record<SignFormField, FieldProblem>>;

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

/** The log commitment's salt inside a record the browser sealed: standard base64 of 32 bytes. */
const identitySalt = z
  .string()
  .trim()
  .max(64, "sign.invalidSealed")
  .optional()
  .transform((v) => (v ? (fromBase64(v) ?? new Uint8Array()) : undefined))
  .refine((v) => v === undefined || v.length === SALT_BYTES, "sign.invalidSealed");

/** Free text, refused when it carries control characters or broken encoding (`check`: names say more). */
const text = (max: number, check: (value: string) => MessageKey | undefined = textProblem) =>
  z
    .string({ error: "sign.invalidValue" })
    .trim()
    .max(max, "field.tooLong")
    .superRefine((value, ctx) => {
      const problem = value === "" ? undefined : check(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional()
    .transform((v) => v || undefined);

/** Accepts "example.org" as well as "https://example.org/path"; stores the normal form of the URL. */
const website = text(FIELD_LIMITS.website).transform((v, ctx) => {
  if (v === undefined) return v;
  const url = normaliseWebsite(v);
  if (url === undefined) ctx.addIssue({ code: "custom", message: "sign.invalidWebsite" });
  return url;
});

/**
 * The public fields of a threshold endorsement the coalition lists: what a listed signer would have typed,
 * opened from its sealed identity by the coordinator's key and sent alone.
 */
export function listedFieldsSchema(categories: readonly string[]) {
  return z.object({
    name: text(FIELD_LIMITS.name, nameProblem).pipe(z.string("field.required")),
    name_alt: text(FIELD_LIMITS.name_alt, nameProblem),
    category: text(FIELD_LIMITS.category).refine(
      (v) => v === undefined || categories.length === 0 || categories.includes(v),
      "sign.invalidChoice",
    ),
    country: text(2).refine((v) => v === undefined || isCountryCode(v), "sign.invalidChoice"),
    website,
  });
}

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
export function signFormSchema(letter: SignFormSettings): ReturnType<typeof buildSignFormSchema> {
  const settings = JSON.stringify([
    letter.signers,
    visibilityChoices(letter),
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

function buildSignFormSchema(letter: SignFormSettings) {
  const kinds = kindsAccepted(letter.signers);
  const visibilities = visibilityChoices(letter);
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
        .pipe(z.enum(visibilities as [VisibilityChoice, ...VisibilityChoice[]], "sign.chooseVisibility")),
      name: text(FIELD_LIMITS.name, nameProblem),
      name_alt: text(FIELD_LIMITS.name_alt, nameProblem),
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
      // Read only with the threshold choice (below); sent in the clear, being a condition that names nobody.
      threshold: z.string().trim().max(20, "sign.thresholdInvalid").optional(),
      disclose_on: z.string().trim().max(20, "sign.discloseOnInvalid").optional(),
      sealed_identity: sealedBox,
      sealed_contact: sealedBox,
      identity_salt: identitySalt,
    })
    .superRefine((form, ctx) => {
      const problem = (path: string, message: MessageKey) =>
        ctx.addIssue({ code: "custom", path: [path], message });
      // A threshold endorsement is undisclosed until the coalition lists it: sealed the same way.
      const undisclosed = form.visibility !== "listed";
      const identitySealed = undisclosed && form.sealed_identity !== undefined;
      const contactSealed = form.sealed_contact !== undefined;
      if (!identitySealed && form.name === undefined) problem("name", "field.required");
      // A record sealed elsewhere holds a salt the server cannot read: the browser sends it beside.
      if (identitySealed !== (undisclosed && form.identity_salt !== undefined))
        problem("identity_salt", "sign.invalidSealed");
      if (form.updates && undisclosed) problem("updates", "sign.updatesListedOnly");
      if (form.visibility === "threshold") {
        if (thresholdOf(form.threshold) === undefined) problem("threshold", "sign.thresholdInvalid");
        if (form.disclose_on && parseDay(form.disclose_on) === undefined)
          problem("disclose_on", "sign.discloseOnInvalid");
      }
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
        !letter.categories.includes(String(form.category))
      ) {
        problem("category", "sign.invalidChoice");
      }
      if (typeof form.country === "string" && !isCountryCode(form.country))
        problem("country", "sign.invalidChoice");
    }, ALWAYS);
}

/** The number typed in the threshold field (empty means the default), or undefined when it is no count. */
export function thresholdOf(typed: string | undefined): number | undefined {
  if (typed === undefined || typed === "") return DEFAULT_THRESHOLD;
  if (!/^\d{1,6}$/.test(typed)) return undefined;
  const value = Number(typed);
  return value >= 1 && value <= MAX_THRESHOLD ? value : undefined;
}

/** The listing condition of a valid submission: present with the threshold choice only. */
export function conditionOfForm(form: {
  visibility: VisibilityChoice;
  threshold?: string | undefined;
  disclose_on?: string | undefined;
}): ListingCondition | undefined {
  if (form.visibility !== "threshold") return undefined;
  return {
    threshold: thresholdOf(form.threshold) ?? DEFAULT_THRESHOLD,
    discloseOn: form.disclose_on || null,
  };
}

/**
 * The checks across fields run even when a field of their own failed, so one submission reports every
 * problem at once (zod skips them by default, and a missing name then showed only on the second attempt).
 * A field that failed its own check may still hold its raw input here: the checks test types, and the
 * field's own message wins, being reported first.
 */
const ALWAYS = { when: () => true };

export function problemsOf(error: z.ZodError): FieldProblems {
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
    "sign.thresholdInvalid",
    "sign.discloseOnInvalid",
    "field.invalidEncoding",
    "field.controlCharacter",
    "field.bidiControl",
  ].map((k) => [k, true]),
);
