import type { Kysely } from "kysely";

/*
 * The address an official's reply goes to when the letter is delivered by email (the mail's Reply-To): set
 * by a coordinator per letter, since the server's own sender address is usually one nobody reads.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("letters").addColumn("reply_to", "text").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("letters").dropColumn("reply_to").execute();
}
