import type { Kysely } from "kysely";
import type { Database } from "../store/schema.ts";

/**
 * A letter's name in the transparency log and the tree size its current counts come from: just after its
 * newest entry (a statement the integrator appends whenever the letter's counts change). Null until the
 * letter is in the log.
 */
export async function letterLogPosition(
  db: Kysely<Database>,
  letterId: number,
): Promise<{ letter: string; size: number } | null> {
  const row = await db
    .selectFrom("letters")
    .innerJoin("log_entries", "log_entries.letter_id", "letters.id")
    .select(["letters.log_name", (eb) => eb.fn.max("log_entries.idx").as("last")])
    .where("letters.id", "=", letterId)
    .groupBy("letters.log_name")
    .executeTakeFirst();
  if (!row?.log_name || row.last === null || row.last === undefined) return null;
  return { letter: row.log_name, size: Number(row.last) + 1 };
}
