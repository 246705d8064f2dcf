import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

/**
 * What a console page about one letter heads itself with: the letter's slug, its campaign and the campaign's
 * key, titled in the letter's default language at its current version. Callers add their own columns.
 */
export function consoleLetterHeading(db: Kysely<Database>, letterId: number) {
  return db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_translations", (join) =>
      join
        .onRef("letter_translations.version_id", "=", "letters.current_version_id")
        .onRef("letter_translations.language", "=", "letters.default_language"),
    )
    .select([
      "letters.id",
      "letters.slug",
      "letters.campaign_id",
      "letter_translations.title",
      "campaigns.public_key",
    ])
    .where("letters.id", "=", letterId);
}

/** A console page's letter with its state, as the page names it (the key pages and their browser scripts). */
export type ConsoleLetterWithKey = {
  id: number;
  slug: string;
  state: string;
  title: string;
  campaignId: number;
  publicKey: string | null;
};

/** The heading's row, with the letter's state, named as the page names it. */
export function letterWithKey(row: {
  id: number;
  slug: string;
  state: string;
  title: string;
  campaign_id: number;
  public_key: string | null;
}): ConsoleLetterWithKey {
  return {
    id: row.id,
    slug: row.slug,
    state: row.state,
    title: row.title,
    campaignId: row.campaign_id,
    publicKey: row.public_key,
  };
}
