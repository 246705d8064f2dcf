import { z } from "zod";
import { isCalendarDay } from "../../domain/calendar-day.ts";
import { DEFAULT_RELEASE_EVERY_HOURS, isReleaseRhythm } from "../../domain/count-release.ts";
import { unknownCountPlaceholder } from "../../domain/count-statement.ts";
import type { EditableLetter, PublisherLink } from "../../domain/editable-letter.ts";
import type { AddresseeGroup, TranslationContent } from "../../domain/letter-content-hash.ts";
import {
  LETTER_SLUG,
  OPTIONAL_SIGN_FIELDS,
  type OptionalSignField,
  SLUG_MAX,
} from "../../domain/letter-settings.ts";
import { isSafeHref } from "../../domain/safe-url.ts";
import { optionalText, requiredText } from "./parse-form.ts";

/*
 * The letter editor's forms as plain strings, the way a browser sends them and the way the page shows them
 * again: what someone typed is re-rendered from these values exactly, whatever was wrong with it. Parsing
 * into the command's input happens only after validation.
 *
 * Addressee groups are numbered fields (heading_0, names_0, heading_1 …), names one per line, so groups can
 * be added and removed with plain submit buttons and no JavaScript.
 */

export type GroupValues = { heading: string; names: string };

export type TextValues = {
  title: string;
  subject: string;
  groups: GroupValues[];
  salutation: string;
  body: string;
  closing: string;
  publisherAbout: string;
  /** The count sentence's template in this language ("" for the generated sentence): a setting, not text. */
  countStatement: string;
};

export type EditorValues = TextValues & {
  /** The language whose texts this form edits (the default language when the editor was opened). */
  language: string;
  slug: string;
  campaign: string;
  defaultLanguage: string;
  letterDate: string;
  publicationDate: string;
  signers: string;
  categories: string;
  requiredFields: string[];
  moderation: boolean;
  allowUndisclosed: boolean;
  releaseEveryHours: string;
  deadline: string;
  privateLink: string;
  publisherName: string;
  publisherUrl: string;
  publisherLinks: string;
  removeLogo: boolean;
  updatedAt: string;
};

const MAX_GROUPS = 50;
/** A letter's sign-form categories: how many, and how long each. */
const MAX_CATEGORIES = 30;
const CATEGORY_MAX = 80;

type Body = Record<string, unknown>;

const str = (body: Body, key: string): string => {
  const value = body[key];
  return typeof value === "string"
    ? value
    : Array.isArray(value) && typeof value[0] === "string"
      ? value[0]
      : "";
};
const list = (body: Body, key: string): string[] => {
  const value = body[key];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
};

function groupsFromBody(body: Body): GroupValues[] {
  const count = Math.min(Number.parseInt(str(body, "groups"), 10) || 0, MAX_GROUPS);
  return Array.from({ length: count }, (_, i) => ({
    heading: str(body, `heading_${i}`),
    names: str(body, `names_${i}`),
  }));
}

export function textValuesFromBody(body: unknown): TextValues {
  const b = (body ?? {}) as Body;
  return {
    title: str(b, "title"),
    subject: str(b, "subject"),
    groups: groupsFromBody(b),
    salutation: str(b, "salutation"),
    body: str(b, "body"),
    closing: str(b, "closing"),
    publisherAbout: str(b, "publisherAbout"),
    countStatement: str(b, "countStatement"),
  };
}

export function editorValuesFromBody(body: unknown): EditorValues {
  const b = (body ?? {}) as Body;
  return {
    ...textValuesFromBody(b),
    language: str(b, "language"),
    slug: str(b, "slug"),
    campaign: str(b, "campaign"),
    defaultLanguage: str(b, "defaultLanguage"),
    letterDate: str(b, "letterDate"),
    publicationDate: str(b, "publicationDate"),
    signers: str(b, "signers"),
    categories: str(b, "categories"),
    requiredFields: list(b, "requiredFields"),
    moderation: str(b, "moderation") === "1",
    allowUndisclosed: str(b, "allowUndisclosed") === "1",
    releaseEveryHours: str(b, "releaseEveryHours") || String(DEFAULT_RELEASE_EVERY_HOURS),
    deadline: str(b, "deadline"),
    privateLink: str(b, "privateLink") || "keep",
    publisherName: str(b, "publisherName"),
    publisherUrl: str(b, "publisherUrl"),
    publisherLinks: str(b, "publisherLinks"),
    removeLogo: str(b, "removeLogo") === "1",
    updatedAt: str(b, "updatedAt"),
  };
}

const EMPTY_TEXTS: TextValues = {
  title: "",
  subject: "",
  groups: [],
  salutation: "",
  body: "",
  closing: "",
  publisherAbout: "",
  countStatement: "",
};

export function textValuesOf(t: TranslationContent | undefined, countStatement = ""): TextValues {
  if (!t) return { ...EMPTY_TEXTS, countStatement };
  return {
    title: t.title,
    subject: t.subject,
    groups: t.addressees.map((g) => ({ heading: g.heading, names: g.names.join("\n") })),
    salutation: t.salutation,
    body: t.body,
    closing: t.closing,
    publisherAbout: t.publisherAbout,
    countStatement,
  };
}

export function editorValuesOf(letter: EditableLetter): EditorValues {
  const main = letter.translations.find((t) => t.language === letter.defaultLanguage);
  return {
    ...textValuesOf(main, letter.countStatements[letter.defaultLanguage]),
    language: letter.defaultLanguage,
    slug: letter.slug,
    campaign: letter.campaign.slug,
    defaultLanguage: letter.defaultLanguage,
    letterDate: letter.letterDate ?? "",
    publicationDate: letter.publicationDate ?? "",
    signers: letter.signers,
    categories: letter.categories.join("\n"),
    requiredFields: letter.requiredFields,
    moderation: letter.moderation,
    allowUndisclosed: letter.allowUndisclosed,
    releaseEveryHours: String(letter.releaseEveryHours),
    deadline: letter.deadline ? letter.deadline.slice(0, 16) : "",
    privateLink: "keep",
    publisherName: letter.publisher.name ?? "",
    publisherUrl: letter.publisher.url ?? "",
    publisherLinks: letter.publisher.links.map((l) => `${l.label} | ${l.url}`).join("\n"),
    removeLogo: false,
    updatedAt: letter.updatedAt,
  };
}

/** Submit buttons share the name "action": save, add a group, or remove group n. */
export type EditorAction = { kind: "save" } | { kind: "addGroup" } | { kind: "removeGroup"; index: number };

export function editorAction(body: unknown): EditorAction {
  const action = str((body ?? {}) as Body, "action");
  if (action === "addGroup") return { kind: "addGroup" };
  const remove = /^removeGroup:(\d{1,2})$/.exec(action);
  if (remove) return { kind: "removeGroup", index: Number(remove[1]) };
  return { kind: "save" };
}

export function applyGroupAction<T extends TextValues>(values: T, action: EditorAction): T {
  if (action.kind === "addGroup" && values.groups.length < MAX_GROUPS)
    return { ...values, groups: [...values.groups, { heading: "", names: "" }] };
  if (action.kind === "removeGroup")
    return { ...values, groups: values.groups.filter((_, i) => i !== action.index) };
  return values;
}

// ---- validation: strings in, command input out ----

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

const optionalDate = z
  .string()
  .trim()
  .refine((d) => d === "" || isCalendarDay(d), "letters.dateFormat")
  .transform((d) => d || null);

const groupsField = z
  .array(z.object({ heading: z.string(), names: z.string() }))
  .max(MAX_GROUPS, "field.tooLong")
  .transform((groups) =>
    groups
      .map((g): AddresseeGroup => ({ heading: g.heading.trim(), names: lines(g.names) }))
      // An untouched empty group (added and never filled) is not an addressee.
      .filter((g) => g.heading !== "" || g.names.length > 0),
  )
  .refine(
    (groups) =>
      groups.every(
        (g) => g.heading.length <= 300 && g.names.length <= 200 && g.names.every((n) => n.length <= 300),
      ),
    "field.tooLong",
  );

export const textsSchema = z.object({
  title: requiredText(300),
  subject: z.string().trim().max(1000, "field.tooLong"),
  groups: groupsField,
  salutation: z.string().trim().max(300, "field.tooLong"),
  body: z
    .string()
    .max(100_000, "field.tooLong")
    .transform((b) => b.replace(/\r\n?/g, "\n").trim()),
  closing: z
    .string()
    .max(10_000, "field.tooLong")
    .transform((b) => b.replace(/\r\n?/g, "\n").trim()),
  publisherAbout: z.string().trim().max(5000, "field.tooLong"),
  // The same limit and counts as the letter file's count_statement key.
  countStatement: z
    .string()
    .trim()
    .max(1000, "field.tooLong")
    .refine((template) => unknownCountPlaceholder(template) === undefined, "letters.countStatementUnknown"),
});

/**
 * The letter's count templates with one language's set (or dropped when empty), keys in order, so an
 * untouched form compares equal to what is stored and saves nothing.
 */
export function withCountStatement(
  statements: Record<string, string>,
  language: string,
  template: string,
): Record<string, string> {
  const next: Record<string, string> = { ...statements, [language]: template };
  return Object.fromEntries(
    Object.entries(next)
      .filter(([, text]) => text !== "")
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

export function toTranslation(language: string, texts: z.infer<typeof textsSchema>): TranslationContent {
  return {
    language,
    title: texts.title,
    subject: texts.subject,
    addressees: texts.groups,
    salutation: texts.salutation,
    body: texts.body,
    closing: texts.closing,
    publisherAbout: texts.publisherAbout,
  };
}

const httpUrl = (url: string) => /^https?:\/\//i.test(url) && isSafeHref(url) && URL.canParse(url);

export const editorSchema = textsSchema.extend({
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "field.required"),
  slug: z
    .string()
    .trim()
    .min(1, "field.required")
    .max(SLUG_MAX, "field.tooLong")
    .regex(LETTER_SLUG, "letters.slugFormat"),
  campaign: z.string().trim().min(1, "field.required"),
  defaultLanguage: z.string().trim().min(1, "field.required"),
  letterDate: optionalDate,
  publicationDate: optionalDate,
  signers: z.enum(["organisations", "individuals", "both"], "field.required"),
  categories: z
    .string()
    .transform(lines)
    .superRefine((c, ctx) => {
      // Issues of their own kind carry their limit, so the message states it ("at most 80 characters").
      if (c.length > MAX_CATEGORIES)
        ctx.addIssue({
          code: "too_big",
          origin: "array",
          maximum: MAX_CATEGORIES,
          input: c,
          message: "letters.tooManyCategories",
        });
      else if (c.some((x) => x.length > CATEGORY_MAX))
        ctx.addIssue({
          code: "too_big",
          origin: "string",
          maximum: CATEGORY_MAX,
          input: c,
          message: "field.tooLong",
        });
    })
    .refine((c) => new Set(c).size === c.length, "letters.categoryTwice"),
  requiredFields: z
    .array(z.string())
    .transform((f) => OPTIONAL_SIGN_FIELDS.filter((known) => f.includes(known)) as OptionalSignField[]),
  moderation: z.boolean(),
  allowUndisclosed: z.boolean(),
  releaseEveryHours: z.coerce.number().refine(isReleaseRhythm, "letters.releaseRhythm"),
  deadline: z
    .string()
    .trim()
    .refine(
      (d) => d === "" || (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(d) && isCalendarDay(d.slice(0, 10))),
      "letters.dateTimeFormat",
    )
    .transform((d) => (d ? `${d}:00.000Z` : null)),
  privateLink: z.enum(["keep", "new", "remove"]),
  publisherName: optionalText(200).transform((v) => v ?? null),
  publisherUrl: optionalText(500)
    .refine((u) => u === undefined || httpUrl(u), "letters.urlFormat")
    .transform((v) => v ?? null),
  publisherLinks: z
    .string()
    .transform((text, ctx): PublisherLink[] => {
      const links: PublisherLink[] = [];
      for (const line of lines(text)) {
        const bar = line.lastIndexOf("|");
        const label = bar === -1 ? "" : line.slice(0, bar).trim();
        const url = (bar === -1 ? line : line.slice(bar + 1)).trim();
        if (!label || !httpUrl(url)) {
          ctx.addIssue({ code: "custom", message: "letters.linkFormat" });
          return z.NEVER;
        }
        links.push({ label, url });
      }
      return links;
    })
    .refine((l) => l.length <= 20, "field.tooLong"),
  removeLogo: z.boolean(),
  updatedAt: z.string(),
});

export type EditorData = z.infer<typeof editorSchema>;
