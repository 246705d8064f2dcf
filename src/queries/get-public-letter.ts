import type { Kysely } from "kysely";
import { readableFingerprint } from "../crypto/key-fingerprint.ts";
import { parseAddressees } from "../domain/addressee-group-key.ts";
import type { Counts } from "../domain/counts.ts";
import { categoryLabel, linkLabel, parseLabelTranslations } from "../domain/label-translations.ts";
import type { ShownText } from "../domain/letter-content-hash.ts";
import { citedSlugs } from "../domain/letter-markdown.ts";
import type { Signers } from "../domain/letter-settings.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { chooseTranslation, READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import { groupByCategory, orderSignatories } from "../domain/signatory-order.ts";
import { uploadUrl } from "../domain/uploads.ts";
import type { Database } from "../store/schema.ts";
import { countSignatures } from "./count-signatures.ts";
import { isCounted } from "./counted-signatures.ts";
import { type CitedLetter, getCitedLetters } from "./get-cited-letters.ts";
import { letterLogPosition } from "./letter-log-position.ts";
import { loadTranslations, type TranslationRow } from "./translations.ts";

export type PublicSignatory = {
  name: string;
  nameAlt: string | null;
  country: string | null;
  website: string | null;
};

export type SignatoryGroup = { category: string | null; signatories: PublicSignatory[] };

/** The translatable parts of a letter. */
export const LETTER_PARTS = [
  "title",
  "subject",
  "addressees",
  "salutation",
  "body",
  "closing",
  "publisherAbout",
] as const;
export type LetterPart = (typeof LETTER_PARTS)[number];

/** A letter's text in the language shown (each part may fall back to the default: `partLanguage`). */
export type PublicLetter = ShownText & {
  id: number;
  slug: string;
  state: LetterState;
  signers: Signers;
  categories: string[];
  /**
   * How each category shows in the reader's language: its translation there, or the category as typed.
   * Categories stay the values endorsements store and filters use; only what is shown is translated.
   */
  categoryLabels: Record<string, string>;
  /** When sign-on closes (an ISO instant), or null. */
  deadline: string | null;
  defaultLanguage: string;
  /** The language shown: the one asked for when the letter has it, otherwise its default language. */
  language: string;
  /**
   * The language of each part. A translation that leaves a part empty (not translated yet) shows the
   * default language's text for it, and the page says so.
   */
  partLanguage: Record<LetterPart, string>;
  languages: string[];
  letterDate: string | null;
  publicationDate: string | null;
  publisher: {
    name: string | null;
    url: string | null;
    about: string;
    links: { label: string; url: string }[];
    /** Public URL of the uploaded (re-encoded) logo, or null. */
    logoUrl: string | null;
  };
  /** The version shown: its number and when it was made, for "last amended on …". */
  version: { id: number; number: number; createdAt: string };
  campaign: { slug: string; name: string; isExample: boolean };
  /** The campaign key's fingerprint in readable groups, for signers to compare with the coalition's own. */
  keyFingerprint: string | null;
  counts: Counts;
  /** The letter's name in the transparency log and the tree size its counts come from; null until logged. */
  log: { letter: string; size: number } | null;
  /** The coalition's wording of the count in the shown language, or null for the generated sentence. */
  countStatementTemplate: string | null;
  /** Letters of the campaign the body or closing cites with `{{letter:SLUG}}` (only those readable). */
  citations: CitedLetter[];
  /** Approved listed signatories by category (the letter's categories first, in its order). */
  signatories: SignatoryGroup[];
};

/**
 * A letter as the public sees it, or undefined when there is no such letter or it is not public (drafts
 * and letters still collecting are not). Only listed, approved signatories are read, and only their public
 * columns: nothing about an undisclosed endorsement other than its count ever leaves this query.
 */
export async function getPublicLetter(
  db: Kysely<Database>,
  input: { slug: string; language: string; withSignatories?: boolean },
  /** Set only by getLetterForPreview: a given letter and version, in any state. */
  preview?: { letterId: number; versionId: number },
): Promise<PublicLetter | undefined> {
  const letter = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_versions", "letter_versions.letter_id", "letters.id")
    .leftJoin("uploads", "uploads.id", "letters.publisher_logo_upload_id")
    .select([
      "letters.id",
      "letters.campaign_id",
      "letters.slug",
      "letters.state",
      "letters.signers",
      "letters.categories",
      "letters.deadline",
      "letters.count_statements",
      "letters.label_translations",
      "letters.default_language",
      "letters.publication_date",
      "letters.publisher_name",
      "letters.publisher_url",
      "letters.publisher_links",
      "letter_versions.id as version_id",
      "letter_versions.letter_date",
      "letter_versions.number as version_number",
      "letter_versions.created_at as version_created_at",
      "uploads.sha256 as logo_sha256",
      "uploads.media_type as logo_media_type",
      "campaigns.slug as campaign_slug",
      "campaigns.name as campaign_name",
      "campaigns.demo_key",
      "campaigns.public_key",
    ])
    .$if(preview === undefined, (q) =>
      q
        .whereRef("letter_versions.id", "=", "letters.current_version_id")
        .where("letters.slug", "=", input.slug)
        .where("letters.state", "in", READABLE_LETTER_STATES),
    )
    .$if(preview !== undefined, (q) =>
      q.where("letters.id", "=", preview!.letterId).where("letter_versions.id", "=", preview!.versionId),
    )
    .executeTakeFirst();
  if (!letter) return undefined;

  const [translations, counts, signatories] = await Promise.all([
    loadTranslations(db, [letter.version_id]),
    countSignatures(db, [letter.id]),
    input.withSignatories === false ? Promise.resolve([]) : listedSignatories(db, letter.id),
  ]);
  const available = translations.get(letter.version_id) ?? [];
  const shown = chooseTranslation(available, input.language, letter.default_language);
  if (!shown) return undefined;
  const original = available.find((t) => t.language === letter.default_language);
  const { text, partLanguage } = fillUntranslatedParts(shown, original);
  const categories = parseJsonArray(letter.categories).filter((c): c is string => typeof c === "string");
  const labels = parseLabelTranslations(letter.label_translations);
  const citations = await getCitedLetters(db, {
    campaignId: letter.campaign_id,
    slugs: citedSlugs([text.body, text.closing]),
    language: shown.language,
  });

  return {
    id: letter.id,
    slug: letter.slug,
    state: letter.state,
    signers: letter.signers,
    categories,
    categoryLabels: Object.fromEntries(categories.map((c) => [c, categoryLabel(labels, input.language, c)])),
    deadline: letter.deadline,
    defaultLanguage: letter.default_language,
    language: shown.language,
    languages: available.map((t) => t.language),
    partLanguage,
    title: text.title,
    subject: text.subject,
    addressees: parseAddressees(text.addressees),
    salutation: text.salutation,
    body: text.body,
    closing: text.closing,
    letterDate: letter.letter_date,
    publicationDate: letter.publication_date,
    publisher: {
      name: letter.publisher_name,
      url: letter.publisher_url,
      about: text.publisher_about,
      links: parseLinks(letter.publisher_links).map((link) => ({
        ...link,
        label: linkLabel(labels, input.language, link),
      })),
      logoUrl:
        letter.logo_sha256 && letter.logo_media_type
          ? uploadUrl(letter.logo_sha256, letter.logo_media_type)
          : null,
    },
    version: {
      id: letter.version_id,
      number: letter.version_number,
      createdAt: letter.version_created_at,
    },
    campaign: { slug: letter.campaign_slug, name: letter.campaign_name, isExample: letter.demo_key === 1 },
    keyFingerprint: letter.public_key ? readableFingerprint(letter.public_key) : null,
    counts: counts.get(letter.id)!,
    log: await letterLogPosition(db, letter.id),
    countStatementTemplate: templateFor(letter.count_statements, shown.language),
    citations,
    signatories: groupByCategory(orderSignatories(signatories, categories, input.language)),
  };
}

const PART_COLUMNS = {
  title: "title",
  subject: "subject",
  addressees: "addressees",
  salutation: "salutation",
  body: "body",
  closing: "closing",
  publisherAbout: "publisher_about",
} as const satisfies Record<LetterPart, keyof TranslationRow>;

/** Empty parts of a translation take the original's text, so a half-translated letter still reads whole. */
function fillUntranslatedParts(
  shown: TranslationRow,
  original: TranslationRow | undefined,
): { text: TranslationRow; partLanguage: Record<LetterPart, string> } {
  const text = { ...shown };
  const partLanguage = {} as Record<LetterPart, string>;
  const isEmpty = (part: LetterPart, value: string) =>
    value.trim() === "" || (part === "addressees" && parseAddressees(value).length === 0);
  for (const part of LETTER_PARTS) {
    const column = PART_COLUMNS[part];
    const fallBack =
      original !== undefined &&
      original.language !== shown.language &&
      isEmpty(part, shown[column]) &&
      !isEmpty(part, original[column]);
    if (fallBack) text[column] = original[column];
    partLanguage[part] = fallBack ? original.language : shown.language;
  }
  return { text, partLanguage };
}

/**
 * The letter exactly as the public page would show it, for a coordinator's preview: any state, and any
 * version (the current one by default), so the console renders it with the public page's own view instead
 * of a look-alike. Callers must have checked the coordinator's permission.
 */
export async function getLetterForPreview(
  db: Kysely<Database>,
  input: { letterId: number; versionId?: number | undefined; language: string },
): Promise<PublicLetter | undefined> {
  const letter = await db
    .selectFrom("letters")
    .select(["slug", "current_version_id"])
    .where("id", "=", input.letterId)
    .executeTakeFirst();
  const versionId = input.versionId ?? letter?.current_version_id;
  if (!letter || versionId === undefined || versionId === null) return undefined;
  return getPublicLetter(
    db,
    { slug: letter.slug, language: input.language },
    { letterId: input.letterId, versionId },
  );
}

type SignatoryRow = PublicSignatory & { category: string | null };

async function listedSignatories(db: Kysely<Database>, letterId: number): Promise<SignatoryRow[]> {
  const rows = await db
    .selectFrom("signatures")
    .select(["display_name", "display_name_alt", "country", "website", "category"])
    .where("letter_id", "=", letterId)
    .where(isCounted)
    .where("visibility", "=", "listed")
    .execute();
  return rows.flatMap((r) =>
    r.display_name
      ? [
          {
            name: r.display_name,
            nameAlt: r.display_name_alt,
            country: r.country,
            website: r.website,
            category: r.category,
          },
        ]
      : [],
  );
}

/** JSON columns are written by our own commands, but a hand-edited row must not take the page down. */
function parseJsonArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function parseLinks(text: string): { label: string; url: string }[] {
  return parseJsonArray(text).flatMap((l) => {
    const link = l as { label?: unknown; url?: unknown };
    return typeof link?.label === "string" && typeof link.url === "string"
      ? [{ label: link.label, url: link.url }]
      : [];
  });
}

/** The count statement template for one language from the letter's JSON, or null when there is none. */
function templateFor(json: string, language: string): string | null {
  try {
    const templates: unknown = JSON.parse(json);
    const template =
      templates && typeof templates === "object"
        ? (templates as Record<string, unknown>)[language]
        : undefined;
    return typeof template === "string" && template.trim() !== "" ? template : null;
  } catch {
    return null;
  }
}
