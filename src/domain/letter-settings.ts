/*
 * Vocabulary of a letter's settings, shared by the console, the letter files and the sign form.
 */

/** Who may sign a letter. */
export type Signers = "organisations" | "individuals" | "both";

/** Letter slugs: lower-case words joined by hyphens, the form public URLs take (see public-page.ts SLUG). */
export const LETTER_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 120;

/**
 * Languages a letter can be written in from the console. The two the product is built for come first;
 * the rest are the region's and the usual languages of international advocacy. A letter file may bring any
 * other language code, and the console keeps it.
 */
export const LETTER_LANGUAGES = [
  "en",
  "my",
  "th",
  "id",
  "ms",
  "vi",
  "km",
  "lo",
  "tl",
  "zh",
  "fr",
  "es",
] as const;

/** A language's name in the reader's language, e.g. "Burmese" or "မြန်မာ". */
export function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Sign-form fields a letter may make compulsory. Name, email, the listed/undisclosed choice and consent
 * are always required and are not listed here.
 */
export const OPTIONAL_SIGN_FIELDS = [
  "name_alt",
  "category",
  "country",
  "website",
  "contact_person",
  "affiliation",
] as const;
export type OptionalSignField = (typeof OPTIONAL_SIGN_FIELDS)[number];

/** Turns a title into a slug candidate; non-Latin titles give "" and the coordinator types one. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

export function privateSignOnUrl(baseUrl: string, slug: string, token: string): string {
  return `${baseUrl}/letters/${slug}/sign?key=${token}`;
}
