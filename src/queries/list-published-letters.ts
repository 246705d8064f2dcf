import { type Kysely, sql } from "kysely";
import type { Counts } from "../domain/counts.ts";
import type { Signers } from "../domain/letter-settings.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { LISTED_LETTER_STATES } from "../domain/public-letters.ts";
import type { Database } from "../store/schema.ts";
import { lettersAtCurrentVersion, showLetters } from "./shown-letters.ts";

export type PublishedLetterSummary = {
  slug: string;
  state: LetterState;
  signers: Signers;
  /** The language the title and subject are in: the one asked for, or the letter's default. */
  language: string;
  languages: string[];
  title: string;
  subject: string;
  letterDate: string | null;
  publicationDate: string | null;
  campaign: { slug: string; name: string; isExample: boolean };
  counts: Counts;
};

/** Published and closed letters, newest publication first, for the home page and the API. */
export async function listPublishedLetters(
  db: Kysely<Database>,
  input: { language: string },
): Promise<PublishedLetterSummary[]> {
  const letters = await lettersAtCurrentVersion(db)
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select([
      "letters.state",
      "letters.signers",
      "letters.publication_date",
      "campaigns.slug as campaign_slug",
      "campaigns.name as campaign_name",
      "campaigns.demo_key",
    ])
    .where("letters.state", "in", LISTED_LETTER_STATES)
    // NULLs sort differently on the two databases; an empty string sorts last in both.
    .orderBy(sql`coalesce(letters.publication_date, '')`, "desc")
    .orderBy("letters.id", "desc")
    .execute();

  return (await showLetters(db, letters, input.language)).map(({ letter, shown, translations, counts }) => ({
    slug: letter.slug,
    state: letter.state,
    signers: letter.signers,
    language: shown.language,
    languages: translations.map((t) => t.language),
    title: shown.title,
    subject: shown.subject,
    letterDate: letter.letter_date,
    publicationDate: letter.publication_date,
    campaign: {
      slug: letter.campaign_slug,
      name: letter.campaign_name,
      isExample: letter.demo_key === 1,
    },
    counts,
  }));
}
