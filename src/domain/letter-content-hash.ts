import { createHash } from "node:crypto";

/*
 * A letter version is identified by a hash of what signatories endorsed: every translation's text and the
 * letter date. Canonical JSON (sorted keys, translations in language order) makes the hash independent of
 * how the content was assembled, so an unchanged save gives the same hash and any change a new one.
 */

export type AddresseeGroup = { heading: string; names: string[] };

export type TranslationContent = {
  language: string;
  title: string;
  subject: string;
  addressees: AddresseeGroup[];
  salutation: string;
  body: string;
  closing: string;
  publisherAbout: string;
};

/**
 * What a reader sees of one translation: everything but the publisher's "about" text. The body and the
 * closing are Markdown with footnotes and count placeholders (render them with renderLetterMarkdown).
 */
export type ShownText = Omit<TranslationContent, "publisherAbout">;

export type VersionContent = { letterDate: string | null; translations: TranslationContent[] };

export function letterContentHash(content: VersionContent): string {
  const translations = [...content.translations].sort((a, b) =>
    a.language < b.language ? -1 : a.language > b.language ? 1 : 0,
  );
  const languages = translations.map((t) => t.language);
  if (new Set(languages).size !== languages.length) {
    throw new TypeError(`letterContentHash: duplicate translation language in ${languages.join(", ")}`);
  }
  return createHash("sha256")
    .update(canonicalJson({ letterDate: content.letterDate, translations }))
    .digest("hex");
}

/** JSON with object keys sorted at every level; arrays keep their order (it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
