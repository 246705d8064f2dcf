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
