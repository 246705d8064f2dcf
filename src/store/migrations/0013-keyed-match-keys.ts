import type { Kysely } from "kysely";

/*
 * Undisclosed endorsements brought in by an import carry a keyed match key (crypto/keyed-match-key.ts): a
 * BLAKE2b MAC of the name's match key under a secret derived, per letter, from the coalition's private key,
 * computed where that key is open. It lets an updated export of the same form be imported again with only
 * its new rows added, undisclosed ones included, while the server, which never has the key, cannot test a
 * guessed name against it, nor link one organisation's endorsements of two letters.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").addColumn("keyed_match_key", "text").execute();
  await db.schema
    .createIndex("signatures_letter_keyed_match_key")
    .on("signatures")
    .columns(["letter_id", "keyed_match_key"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("signatures_letter_keyed_match_key").execute();
  await db.schema.alterTable("signatures").dropColumn("keyed_match_key").execute();
}
