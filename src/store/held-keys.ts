import type { Kysely } from "kysely";
import type { SignatureState } from "../domain/signature-states.ts";
import type { Database } from "./schema.ts";

/** States in which an endorsement holds its name: a new one with the same match key would duplicate it. */
const HOLDING: readonly SignatureState[] = ["unconfirmed", "confirmed", "approved"];

/** Keys per query: well under SQLite's and PostgreSQL's bound-parameter limits. */
const KEYS_PER_QUERY = 512;

/**
 * Which of these match keys (of LISTED names only) an endorsement of the letter already holds: the rule by
 * which an import reports a row as a duplicate ("onLetter"), shared with the console's previews so that
 * they show exactly what the import will do. Chunked so a 100,000-row file does not become one query with
 * 100,000 parameters.
 */
export function heldMatchKeys(
  db: Kysely<Database>,
  letterId: number,
  keys: readonly string[],
): Promise<Set<string>> {
  return heldKeys(db, letterId, "match_key", keys);
}

/** heldMatchKeys for undisclosed endorsements' keyed match keys: which of these the letter already holds. */
export function heldKeyedMatchKeys(
  db: Kysely<Database>,
  letterId: number,
  keys: readonly string[],
): Promise<Set<string>> {
  return heldKeys(db, letterId, "keyed_match_key", keys);
}

async function heldKeys(
  db: Kysely<Database>,
  letterId: number,
  column: "match_key" | "keyed_match_key",
  keys: readonly string[],
): Promise<Set<string>> {
  const held = new Set<string>();
  for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
    // The state is checked here, not in the query: with it there, SQLite (which keeps no statistics)
    // walks the (letter, state) index through every endorsement of the letter instead of looking the keys
    // up, so each batch of an import took longer than the one before.
    const found = await db
      .selectFrom("signatures")
      .select([column, "state"])
      .where("letter_id", "=", letterId)
      .where(column, "in", paddedToPowerOfTwo(keys.slice(i, i + KEYS_PER_QUERY)))
      .execute();
    for (const r of found) if (HOLDING.includes(r.state)) held.add(r[column]!);
  }
  return held;
}

/**
 * The keys, the last one repeated up to a power of two: the query's text then comes in a handful of lengths
 * instead of one per batch, and SQLite compiles each once (db.ts keeps compiled statements by their text).
 */
function paddedToPowerOfTwo(keys: string[]): string[] {
  let size = 1;
  while (size < keys.length) size *= 2;
  while (keys.length < size) keys.push(keys.at(-1)!);
  return keys;
}
