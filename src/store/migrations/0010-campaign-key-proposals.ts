import type { Kysely } from "kysely";

/*
 * A coordinator who is not an owner cannot give a campaign its coalition key alone: the key is proposed,
 * and takes effect only when a second person (another coordinator of the campaign, or an owner) confirms
 * its fingerprint. One proposal per campaign at most, gone with the campaign or with the proposer's account.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("campaign_key_proposals")
    .addColumn("campaign_id", "integer", (c) => c.primaryKey().references("campaigns.id").onDelete("cascade"))
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("proposed_by", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("proposed_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("campaign_key_proposals").execute();
}
