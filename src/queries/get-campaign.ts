import type { Kysely } from "kysely";
import type { Counts } from "../domain/counts.ts";
import type { Signers } from "../domain/letter-settings.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { READABLE_LETTER_STATES } from "../domain/public-letters.ts";
import type { Database } from "../store/schema.ts";
import { lettersAtCurrentVersion, showLetters } from "./shown-letters.ts";

export type CampaignLetter = {
  slug: string;
  state: LetterState;
  signers: Signers;
  position: number;
  language: string;
  title: string;
  letterDate: string | null;
  publicationDate: string | null;
  counts: Counts;
};

export type PublicCampaign = {
  slug: string;
  name: string;
  description: string;
  isExample: boolean;
  /** Its public letters in campaign order, so a reader sees how the appeal developed. */
  letters: CampaignLetter[];
};

/**
 * A campaign and its public letters. A campaign with no public letter yet is undefined, like a draft
 * letter: its name alone can reveal a coalition's plans before it goes public.
 */
export async function getCampaign(
  db: Kysely<Database>,
  input: { slug: string; language: string },
): Promise<PublicCampaign | undefined> {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "slug", "name", "description", "demo_key"])
    .where("slug", "=", input.slug)
    .executeTakeFirst();
  if (!campaign) return undefined;

  const letters = await lettersAtCurrentVersion(db)
    .select(["letters.state", "letters.signers", "letters.position", "letters.publication_date"])
    .where("letters.campaign_id", "=", campaign.id)
    .where("letters.state", "in", READABLE_LETTER_STATES)
    .orderBy("letters.position")
    .orderBy("letters.id")
    .execute();
  if (letters.length === 0) return undefined;

  return {
    slug: campaign.slug,
    name: campaign.name,
    description: campaign.description,
    isExample: campaign.demo_key === 1,
    letters: (await showLetters(db, letters, input.language)).map(({ letter, shown, counts }) => ({
      slug: letter.slug,
      state: letter.state,
      signers: letter.signers,
      position: letter.position,
      language: shown.language,
      title: shown.title,
      letterDate: letter.letter_date,
      publicationDate: letter.publication_date,
      counts,
    })),
  };
}
