import type { Kysely } from "kysely";
import { confusableSkeleton } from "../../domain/confusables.ts";

/*
 * Two columns on listed endorsements, never filled for undisclosed ones (a key derived from a sealed name
 * would let anyone with the database confirm a guess):
 *
 * - skeleton: the name's confusable skeleton (Unicode TR39), so that a look-alike of a name the letter
 *   already holds ("Мinistry" with a Cyrillic М) is found by index and held for review;
 * - proposed_name / proposed_name_alt: a name change the signer asked for through their manage link after
 *   the endorsement was approved. The public entry keeps its old name until a coordinator approves it.
 *
 * Existing listed names get their skeleton here, in batches.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").addColumn("skeleton", "text").execute();
  await db.schema.alterTable("signatures").addColumn("proposed_name", "text").execute();
  await db.schema.alterTable("signatures").addColumn("proposed_name_alt", "text").execute();
  await db.schema
    .createIndex("signatures_skeleton")
    .on("signatures")
    .columns(["letter_id", "skeleton"])
    .execute();
  let after = 0;
  for (;;) {
    const rows: { id: number; display_name: string }[] = await db
      .selectFrom("signatures")
      .select(["id", "display_name"])
      .where("visibility", "=", "listed")
      .where("display_name", "is not", null)
      .where("id", ">", after)
      .orderBy("id")
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      await db
        .updateTable("signatures")
        .set({ skeleton: confusableSkeleton(row.display_name) })
        .where("id", "=", row.id)
        .execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("signatures_skeleton").execute();
  await db.schema.alterTable("signatures").dropColumn("proposed_name_alt").execute();
  await db.schema.alterTable("signatures").dropColumn("proposed_name").execute();
  await db.schema.alterTable("signatures").dropColumn("skeleton").execute();
}
