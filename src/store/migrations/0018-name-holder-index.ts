import type { Kysely } from "kysely";

/*
 * "Does someone hold this name on this letter?" (queries/find-name-holder.ts) is asked at every sign-on and
 * every confirmation. With an index on (letter_id, match_key) only, SQLite's planner chose the listing index
 * (letter_id, state, …) for it, and so read every approved endorsement of the letter each time: a cost that
 * grew with the letter's success. An index on all three columns the question names is the one it takes.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("signatures_letter_match_key_state")
    .on("signatures")
    .columns(["letter_id", "match_key", "state"])
    .execute();
  await db.schema.dropIndex("signatures_match_key").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("signatures_match_key")
    .on("signatures")
    .columns(["letter_id", "match_key"])
    .execute();
  await db.schema.dropIndex("signatures_letter_match_key_state").execute();
}
