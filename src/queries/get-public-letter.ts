import type { Kysely } from "kysely";
import { COUNTED_STATE, type Counts } from "../domain/counts.ts";
import type { AddresseeGroup } from "../domain/letter-content-hash.ts";
import { chooseTranslation, READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import type { Database, LetterState, Signers } from "../store/schema.ts";
import { countSignatures } from "./count-signatures.ts";
import { loadTranslations } from "./translations.ts";

export type PublicSignatory = {
  name: string;
  nameAlt: string | null;
  country: string | null;
  website: string | null;
};

export type SignatoryGroup = { category: string | null; signatories: PublicSignatory[] };

export type PublicLetter = {
  id: number;
  slug: string;
  state: LetterState;
  signers: Signers;
  categories: string[];
  defaultLanguage: string;
  /** The language shown: the one asked for when the letter has it, otherwise its default language. */
  language: string;
  languages: string[];
  title: string;
  subject: string;
  addressees: AddresseeGroup[];
  salutation: string;
  /** Markdown with footnotes and count placeholders; render it with renderLetterMarkdown. */
  body: string;
  closing: string;
  letterDate: string | null;
  publicationDate: string | null;
  publisher: {
    name: string | null;
    url: string | null;
    about: string;
    links: { label: string; url: string }[];
  };
  campaign: { slug: string; name: string; isExample: boolean };
  counts: Counts;
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
): Promise<PublicLetter | undefined> {
  const letter = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
    .select([
      "letters.id",
      "letters.slug",
      "letters.state",
      "letters.signers",
      "letters.categories",
      "letters.default_language",
      "letters.publication_date",
      "letters.publisher_name",
      "letters.publisher_url",
      "letters.publisher_links",
      "letter_versions.id as version_id",
      "letter_versions.letter_date",
      "campaigns.slug as campaign_slug",
      "campaigns.name as campaign_name",
      "campaigns.demo_key",
    ])
    .where("letters.slug", "=", input.slug)
    .where("letters.state", "in", READABLE_LETTER_STATES)
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
  const categories = parseJsonArray(letter.categories).filter((c): c is string => typeof c === "string");

  return {
    id: letter.id,
    slug: letter.slug,
    state: letter.state,
    signers: letter.signers,
    categories,
    defaultLanguage: letter.default_language,
    language: shown.language,
    languages: available.map((t) => t.language),
    title: shown.title,
    subject: shown.subject,
    addressees: parseAddressees(shown.addressees),
    salutation: shown.salutation,
    body: shown.body,
    closing: shown.closing,
    letterDate: letter.letter_date,
    publicationDate: letter.publication_date,
    publisher: {
      name: letter.publisher_name,
      url: letter.publisher_url,
      about: shown.publisher_about,
      links: parseLinks(letter.publisher_links),
    },
    campaign: { slug: letter.campaign_slug, name: letter.campaign_name, isExample: letter.demo_key === 1 },
    counts: counts.get(letter.id)!,
    signatories: groupByCategory(signatories, categories, input.language),
  };
}

type SignatoryRow = PublicSignatory & { category: string | null };

async function listedSignatories(db: Kysely<Database>, letterId: number): Promise<SignatoryRow[]> {
  const rows = await db
    .selectFrom("signatures")
    .select(["display_name", "display_name_alt", "country", "website", "category"])
    .where("letter_id", "=", letterId)
    .where("state", "=", COUNTED_STATE)
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

/**
 * Groups in the letter's category order, then any other categories, then the uncategorised; names sorted
 * with the reader's collation, because code-point order puts Burmese names in an order no reader expects.
 */
function groupByCategory(rows: SignatoryRow[], categories: string[], language: string): SignatoryGroup[] {
  const collator = new Intl.Collator(language, { numeric: true });
  const groups = new Map<string | null, PublicSignatory[]>();
  for (const { category, ...signatory } of rows) {
    const list = groups.get(category) ?? [];
    list.push(signatory);
    groups.set(category, list);
  }
  const known = categories.filter((c) => groups.has(c));
  const others = [...groups.keys()]
    .filter((c): c is string => c !== null && !categories.includes(c))
    .sort(collator.compare);
  const order: (string | null)[] = [...known, ...others, ...(groups.has(null) ? [null] : [])];
  return order.map((category) => ({
    category,
    signatories: groups.get(category)!.sort((a, b) => collator.compare(a.name, b.name)),
  }));
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

function parseAddressees(text: string): AddresseeGroup[] {
  return parseJsonArray(text).flatMap((g) => {
    const group = g as Partial<AddresseeGroup>;
    if (typeof group?.heading !== "string" || !Array.isArray(group.names)) return [];
    return [{ heading: group.heading, names: group.names.filter((n): n is string => typeof n === "string") }];
  });
}

function parseLinks(text: string): { label: string; url: string }[] {
  return parseJsonArray(text).flatMap((l) => {
    const link = l as { label?: unknown; url?: unknown };
    return typeof link?.label === "string" && typeof link.url === "string"
      ? [{ label: link.label, url: link.url }]
      : [];
  });
}
