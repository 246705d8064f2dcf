import type { Kysely } from "kysely";
import { matchKey } from "../domain/names.ts";
import { orderSignatories } from "../domain/signatory-order.ts";
import type { Database } from "../store/schema.ts";
import { isCounted } from "./counted-signatures.ts";
import type { PublicSignatory } from "./get-public-letter.ts";

/*
 * The full public list of a letter, held in memory so that search, filters and page 400 of 100,000 cost a
 * scan or a slice rather than a query with OFFSET (which reads and discards every row before the page) and
 * a collation the databases do not share (neither SQLite nor a default PostgreSQL sorts Burmese like
 * Intl.Collator('my')). Only listed, approved signatures are read, and only their public columns.
 */

export type ListedSignatory = PublicSignatory & {
  category: string | null;
  /** matchKey of the name and the alternative name: what a search is compared with. */
  searchKey: string;
};

export type SignatoryIndex = {
  letterId: number;
  /** Changes whenever the listed set may have changed; part of every cache key built from the index. */
  fingerprint: string;
  size: number;
  /** The listed signatories in no particular order. */
  rows: readonly ListedSignatory[];
  /** Every listed signatory in display order for this language and category order (memoised). */
  ordered(locale: string, letterCategories: readonly string[]): readonly ListedSignatory[];
  /** The distinct countries, sorted for this language (memoised). */
  countries(locale: string): readonly string[];
  /** The distinct categories, in the letter's order then others. */
  categories(locale: string, letterCategories: readonly string[]): readonly string[];
};

/**
 * A cheap summary of the listed, approved set: its size, newest change and highest id. An approval, a
 * withdrawal, an edit of a listed name or a merge changes at least one of them (commands stamp updated_at),
 * so an unchanged fingerprint lets the index be kept instead of re-read and re-sorted.
 */
async function signatoryFingerprint(db: Kysely<Database>, letterId: number): Promise<string> {
  const row = await db
    .selectFrom("signatures")
    .select((eb) => [
      eb.fn.countAll().as("n"),
      eb.fn.max("updated_at").as("latest"),
      eb.fn.max("id").as("highest"),
    ])
    .where("letter_id", "=", letterId)
    .where(isCounted)
    .where("visibility", "=", "listed")
    .executeTakeFirstOrThrow();
  return `${Number(row.n)}|${row.latest ?? ""}|${row.highest ?? ""}`;
}

/**
 * The letter's index as it stands now: `previous` itself when the listed set has not changed since it was
 * built (the usual case when a cache entry expires: one aggregate query instead of a re-read and re-sort),
 * otherwise a fresh one. Shared by the public pages and the API, which cache indexes separately.
 */
export async function currentSignatoryIndex(
  db: Kysely<Database>,
  letterId: number,
  previous: SignatoryIndex | undefined,
): Promise<SignatoryIndex> {
  const fingerprint = await signatoryFingerprint(db, letterId);
  return previous?.fingerprint === fingerprint
    ? previous
    : loadSignatoryIndex(db, letterId, fingerprint, previous);
}

async function loadSignatoryIndex(
  db: Kysely<Database>,
  letterId: number,
  fingerprint: string,
  /** The index this one replaces: search keys are carried over rather than recomputed (about 10 µs each). */
  previous?: SignatoryIndex,
): Promise<SignatoryIndex> {
  const rows = await db
    .selectFrom("signatures")
    .select(["display_name", "display_name_alt", "country", "website", "category", "match_key"])
    .where("letter_id", "=", letterId)
    .where(isCounted)
    .where("visibility", "=", "listed")
    .execute();
  const names = (name: string, alt: string | null) => (alt ? `${name}\n${alt}` : name);
  const knownKeys = new Map(previous?.rows.map((s) => [names(s.name, s.nameAlt), s.searchKey]));
  const signatories: ListedSignatory[] = [];
  for (const r of rows) {
    if (!r.display_name) continue;
    const both = names(r.display_name, r.display_name_alt);
    let searchKey = knownKeys.get(both);
    if (searchKey === undefined) {
      // Rows written by imports or the example may lack match_key; it derives from the public name anyway.
      const nameKey = r.match_key ?? matchKey(r.display_name);
      searchKey = r.display_name_alt ? `${nameKey}\n${matchKey(r.display_name_alt)}` : nameKey;
    }
    signatories.push({
      name: r.display_name,
      nameAlt: r.display_name_alt,
      country: r.country,
      website: r.website,
      category: r.category,
      searchKey,
    });
  }
  return buildIndex(letterId, fingerprint, signatories);
}

function buildIndex(letterId: number, fingerprint: string, rows: ListedSignatory[]): SignatoryIndex {
  const orders = new Map<string, ListedSignatory[]>();
  const countryLists = new Map<string, string[]>();
  return {
    letterId,
    fingerprint,
    size: rows.length,
    rows,
    ordered(locale, letterCategories) {
      const key = `${locale}\u0000${letterCategories.join("\u0000")}`;
      let ordered = orders.get(key);
      if (!ordered) {
        ordered = orderSignatories(rows, letterCategories, locale);
        orders.set(key, ordered);
      }
      return ordered;
    },
    countries(locale) {
      let list = countryLists.get(locale);
      if (!list) {
        const collator = new Intl.Collator(locale);
        list = [...new Set(rows.flatMap((r) => (r.country ? [r.country] : [])))].sort(collator.compare);
        countryLists.set(locale, list);
      }
      return list;
    },
    categories(locale, letterCategories) {
      const present = new Set(rows.flatMap((r) => (r.category !== null ? [r.category] : [])));
      const collator = new Intl.Collator(locale);
      return [
        ...letterCategories.filter((c) => present.has(c)),
        ...[...present].filter((c) => !letterCategories.includes(c)).sort(collator.compare),
      ];
    },
  };
}

export type SignatoryFilter = { q: string; category: string | undefined; country: string | undefined };

/**
 * The signatories matching a search, in display order. The query goes through the same matchKey as the
 * names, so "MYANMAR", "myanmar", "Mŷanmar" and a Zawgyi-typed Burmese name all find their Unicode twin.
 */
export function filterSignatories(
  ordered: readonly ListedSignatory[],
  filter: SignatoryFilter,
): readonly ListedSignatory[] {
  const needle = filter.q ? matchKey(filter.q) : "";
  if (!needle && filter.category === undefined && filter.country === undefined) return ordered;
  return ordered.filter(
    (s) =>
      (filter.category === undefined || s.category === filter.category) &&
      (filter.country === undefined || s.country === filter.country) &&
      (!needle || s.searchKey.includes(needle)),
  );
}
