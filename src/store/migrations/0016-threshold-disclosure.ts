import type { Kysely } from "kysely";

/*
 * Threshold disclosure (domain/threshold-disclosure.ts): an undisclosed endorsement may carry the signer's
 * condition for being listed, at least `disclose_threshold` others listed or (optionally) from the UTC day
 * `disclose_on`; `disclosed_on` is the UTC day the coalition listed it. Days only: a condition is the
 * signer's choice, not a moment, and the listing is recorded no finer than the receipt says it.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").addColumn("disclose_threshold", "integer").execute();
  await db.schema.alterTable("signatures").addColumn("disclose_on", "text").execute();
  await db.schema.alterTable("signatures").addColumn("disclosed_on", "text").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").dropColumn("disclosed_on").execute();
  await db.schema.alterTable("signatures").dropColumn("disclose_on").execute();
  await db.schema.alterTable("signatures").dropColumn("disclose_threshold").execute();
}
