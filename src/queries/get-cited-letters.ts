import type { Kysely } from "kysely";
import type { Citation } from "../domain/letter-markdown.ts";
import { READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import type { Database } from "../store/schema.ts";
import { lettersAtCurrentVersion, showLetters } from "./shown-letters.ts";

export type CitedLetter = Citation & {
  /** The cited letter's id: a page citing it must be rebuilt when its count changes. */
  letterId: number;
};

/**
 * The letters a text cites with `{{letter:SLUG}}` that may be shown: public letters of the same campaign,
 * titled in the language asked for (or their default). Slugs of drafts, of other campaigns' letters and
 * unknown ones are left out, and the text renders them as a visible marker.
 */
export async function getCitedLetters(
  db: Kysely<Database>,
  input: { campaignId: number; slugs: readonly string[]; language: string },
): Promise<CitedLetter[]> {
  if (input.slugs.length === 0) return [];
  const letters = await lettersAtCurrentVersion(db)
    .where("letters.campaign_id", "=", input.campaignId)
    .where("letters.slug", "in", [...new Set(input.slugs)])
    .where("letters.state", "in", READABLE_LETTER_STATES)
    .execute();
  if (letters.length === 0) return [];
  return (await showLetters(db, letters, input.language)).map(({ letter, shown, counts }) => ({
    letterId: letter.id,
    slug: letter.slug,
    title: shown.title,
    language: shown.language,
    letterDate: letter.letter_date,
    total: counts.total,
    organisations: counts.byKind.organisation.total,
    individuals: counts.byKind.individual.total,
  }));
}
