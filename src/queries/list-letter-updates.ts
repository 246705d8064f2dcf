import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

export type LetterUpdate = {
  id: number;
  language: string;
  title: string;
  /** Markdown; render it with renderLetterMarkdown like the letter's body. */
  body: string;
  publishedAt: string;
  mailedAt: string | null;
};

/** A letter's updates, newest first: the order a returning reader wants, and the order of a feed. */
export async function listLetterUpdates(
  db: Kysely<Database>,
  letterId: number,
  options: { limit?: number } = {},
): Promise<LetterUpdate[]> {
  const rows = await db
    .selectFrom("letter_updates")
    .select(["id", "language", "title", "body", "published_at", "mailed_at"])
    .where("letter_id", "=", letterId)
    .orderBy("published_at", "desc")
    .orderBy("id", "desc")
    .$if(options.limit !== undefined, (q) => q.limit(options.limit!))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    language: r.language,
    title: r.title,
    body: r.body,
    publishedAt: r.published_at,
    mailedAt: r.mailed_at,
  }));
}
