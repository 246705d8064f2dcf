import type { Kysely } from "kysely";

/*
 * Labels in the reader's language: a letter's categories ("regional") and its publisher links' labels
 * ("Website") translated per language, as JSON {"my": {"categories": {"regional": "…"}, "links": {URL: "…"}}}.
 * Categories are keyed by their value, which endorsements store and filters use, so only what is shown
 * changes; links by their address, so relabelling the original keeps the translations. Kept on the letter
 * beside the count statements: labels are presentation, not text endorsed, so they make no new version.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("letters")
    .addColumn("label_translations", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("letters").dropColumn("label_translations").execute();
}
