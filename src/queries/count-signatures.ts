import type { Kysely } from "kysely";
import { assembleCounts, type CountGroup, type Counts } from "../domain/counts.ts";
import type { Database } from "../store/schema.ts";
import { isCounted } from "./counted-signatures.ts";

/**
 * Counts for any number of letters in one round trip (the home page lists many). The database does the
 * grouping, so the cost is one indexed scan whatever the number of signatures; the domain assembles the
 * totals. Every letter asked for gets an entry, zero when nothing is counted yet. The waiting figure is read
 * from the rows' released part in it (`counted_waiting`), like the counts from `counted`.
 */
export async function countSignatures(
  db: Kysely<Database>,
  letterIds: readonly number[],
): Promise<Map<number, Counts>> {
  const ids = [...new Set(letterIds)];
  const byLetter = new Map<number, CountGroup[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("signatures")
    .select([
      "letter_id",
      "kind",
      "visibility",
      (eb) => eb.fn.countAll().as("n"),
      (eb) => eb.fn.sum<number | string>("counted_waiting").as("waiting"),
    ])
    .where("letter_id", "in", ids)
    .where(isCounted)
    .groupBy(["letter_id", "kind", "visibility"])
    .execute();
  for (const row of rows) {
    // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
    byLetter.get(row.letter_id)!.push({
      kind: row.kind,
      visibility: row.visibility,
      count: Number(row.n),
      waiting: Number(row.waiting),
    });
  }
  return new Map([...byLetter].map(([id, groups]) => [id, assembleCounts(groups)]));
}
