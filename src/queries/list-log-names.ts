import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

export type PublishedName = { entry: number; name: string; salt: string };

/** The listed endorsements of a letter that still count in the log, with what recomputes their commitment. */
export async function listPublishedNames(db: Kysely<Database>, logName: string): Promise<PublishedName[]> {
  const rows = await db
    .selectFrom("log_entries")
    .innerJoin("letters", "letters.id", "log_entries.letter_id")
    .select(["log_entries.idx", "log_entries.listed_name", "log_entries.listed_salt"])
    .where("letters.log_name", "=", logName)
    .where("log_entries.kind", "=", "endorsement")
    .where("log_entries.withdrawn_by", "is", null)
    .where("log_entries.listed_name", "is not", null)
    .orderBy("log_entries.idx")
    .execute();
  return rows.map((r) => ({ entry: r.idx, name: r.listed_name!, salt: r.listed_salt! }));
}
