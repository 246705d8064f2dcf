import type { Kysely } from "kysely";

/*
 * The count statement's wording per letter and language, as templates with {{total}}, {{listed}} and
 * {{undisclosed}} ({"en": "…", "my": "…"}). Kept on the letter rather than in its versions: the wording of the
 * count is the coalition's presentation, not part of the text endorsed, so changing it makes no new version.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("letters")
    .addColumn("count_statements", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("letters").dropColumn("count_statements").execute();
}
