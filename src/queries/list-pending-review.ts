import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

export type PendingReview = {
  letterId: number;
  campaignId: number;
  title: string;
  /** Confirmed endorsements awaiting a decision: the review queue's length. */
  pending: number;
};

/**
 * The letters with endorsements awaiting review, in the campaigns given ("all" for owners), with how many
 * each holds; letters with none are left out. Titled in the letter's default language, like the queue.
 */
export async function listPendingReview(
  db: Kysely<Database>,
  only: "all" | readonly number[],
): Promise<PendingReview[]> {
  if (only !== "all" && only.length === 0) return [];
  const rows = await db
    .selectFrom("signatures")
    .innerJoin("letters", "letters.id", "signatures.letter_id")
    .innerJoin("letter_translations", (join) =>
      join
        .onRef("letter_translations.version_id", "=", "letters.current_version_id")
        .onRef("letter_translations.language", "=", "letters.default_language"),
    )
    .select((eb) => [
      "letters.id",
      "letters.campaign_id",
      "letter_translations.title",
      eb.fn.countAll<number | string>().as("pending"),
    ])
    .where("signatures.state", "=", "confirmed")
    .$if(only !== "all", (q) => q.where("letters.campaign_id", "in", only as readonly number[]))
    .groupBy(["letters.id", "letters.campaign_id", "letter_translations.title", "letters.position"])
    .orderBy("letters.campaign_id")
    .orderBy("letters.position")
    .orderBy("letters.id")
    .execute();
  return rows.map((r) => ({
    letterId: r.id,
    campaignId: r.campaign_id,
    title: r.title,
    pending: Number(r.pending),
  }));
}
