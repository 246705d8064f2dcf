import type { Kysely } from "kysely";

/*
 * The public "waiting" figure: how many counted undisclosed endorsements carry a listing condition, so will
 * be listed once it is met ({{waiting}} in a count statement). A signer changes their condition at a moment
 * of their choosing, so the figure must not follow the condition columns live: `counted_waiting` is the
 * row's part in it as last released, set beside `counted` and at the same times (domain/count-release.ts).
 * Rows that already carry a condition start with it, as if released with the counts they already have.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("signatures")
    .addColumn("counted_waiting", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable("signatures")
    .set({ counted_waiting: 1 })
    .where("visibility", "=", "undisclosed")
    .where("disclose_threshold", "is not", null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").dropColumn("counted_waiting").execute();
}
