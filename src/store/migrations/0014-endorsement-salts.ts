import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";

/*
 * The salt of an endorsement's log commitment (domain/tlog/entries.ts) stops being one readable column.
 *
 * - listed_salt: a listed endorsement's salt, readable: it is published beside the log with the name anyway.
 * - undisclosed_commit: an undisclosed endorsement's commitment, computed when it was sealed. Its salt sits
 *   inside the sealed record (for the coalition) and, boxed under a key only the signer's manage link gives
 *   (crypto/receipt-salt.ts), in receipt_salt_box for the receipt. A database alone links no salt to a
 *   record.
 *
 * Undisclosed rows from before keep the commitment their old salt gives (the log may already hold it) and
 * lose the salt itself: their records do not contain it, so an audit reports them as made before salts were
 * sealed.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

const COMMIT_PREFIX = Buffer.from("undersigned/commit/v1\n");

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("signatures").addColumn("listed_salt", "text").execute();
  await db.schema.alterTable("signatures").addColumn("undisclosed_commit", "text").execute();
  await db.schema.alterTable("signatures").addColumn("receipt_salt_box", "text").execute();
  await db
    .updateTable("signatures")
    .set((eb) => ({ listed_salt: eb.ref("leaf_salt") }))
    .where("visibility", "=", "listed")
    .execute();
  const undisclosed = await db
    .selectFrom("signatures")
    .select(["id", "leaf_salt", "sealed_identity"])
    .where("visibility", "=", "undisclosed")
    .execute();
  for (const row of undisclosed) {
    const salt = Buffer.from(String(row.leaf_salt), "base64url");
    const commit = createHash("sha256")
      .update(COMMIT_PREFIX)
      .update(salt)
      .update(String(row.sealed_identity ?? ""))
      .digest("base64");
    await db.updateTable("signatures").set({ undisclosed_commit: commit }).where("id", "=", row.id).execute();
  }
  await db.schema.alterTable("signatures").dropColumn("leaf_salt").execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("signatures")
    .addColumn("leaf_salt", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db
    .updateTable("signatures")
    .set((eb) => ({ leaf_salt: eb.ref("listed_salt") }))
    .where("listed_salt", "is not", null)
    .execute();
  // The undisclosed salts are nowhere readable any more: fresh ones, as the old schema wants one per row.
  const rest = await db.selectFrom("signatures").select("id").where("leaf_salt", "=", "").execute();
  for (const row of rest) {
    await db
      .updateTable("signatures")
      .set({ leaf_salt: randomBytes(32).toString("base64url") })
      .where("id", "=", row.id)
      .execute();
  }
  for (const column of ["receipt_salt_box", "undisclosed_commit", "listed_salt"])
    await db.schema.alterTable("signatures").dropColumn(column).execute();
}
