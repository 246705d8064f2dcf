import type { Kysely } from "kysely";

/*
 * Two protections for signers, in one migration:
 *
 * - Count releases. `signatures.counted` says whether a row counts now; it follows the state at once for
 *   what coordinators do, and at the letter's next release for what an undisclosed signer does, so no
 *   public count moves at a signer's moment. `count_change_at` is that release (to the hour, cleared when
 *   it is applied); `letters.release_every_hours` is the letter's rhythm (a divisor of 24) and
 *   `counts_released_at` the last release that changed something (to the hour).
 * - The rate limiter's store. A window (a stretch of time on a grid from UTC midnight) has a random key,
 *   and the rows of that window hold only an HMAC under it of what is limited (a client's prefix, an
 *   account). The key and the rows are deleted together when the window ends, so nothing kept afterwards
 *   can be tried against the address space. The old table (keyed by the long-lived server secret) goes.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("signatures")
    .addColumn("counted", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("signatures").addColumn("count_change_at", "text").execute();
  await db.updateTable("signatures").set({ counted: 1 }).where("state", "=", "approved").execute();
  await db.schema
    .createIndex("signatures_counted")
    .on("signatures")
    .columns(["letter_id", "counted"])
    .execute();
  await db.schema.createIndex("signatures_count_change").on("signatures").column("count_change_at").execute();

  await db.schema
    .alterTable("letters")
    .addColumn("release_every_hours", "integer", (c) => c.notNull().defaultTo(24))
    .execute();
  await db.schema.alterTable("letters").addColumn("counts_released_at", "text").execute();

  await db.schema.dropTable("rate_limits").execute();
  await db.schema
    .createTable("rate_limit_windows")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("hmac_key", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limit_windows_end").on("rate_limit_windows").column("ends_at").execute();
  await db.schema
    .createTable("rate_limits")
    .addColumn("window_id", "text", (c) =>
      c.notNull().references("rate_limit_windows.id").onDelete("cascade"),
    )
    .addColumn("subject_hash", "text", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("rate_limits_key", ["window_id", "subject_hash"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("rate_limits").execute();
  await db.schema.dropTable("rate_limit_windows").execute();
  await db.schema
    .createTable("rate_limits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("hits", "integer", (c) => c.notNull())
    .execute();
  await db.schema.alterTable("letters").dropColumn("counts_released_at").execute();
  await db.schema.alterTable("letters").dropColumn("release_every_hours").execute();
  await db.schema.dropIndex("signatures_count_change").execute();
  await db.schema.dropIndex("signatures_counted").execute();
  await db.schema.alterTable("signatures").dropColumn("count_change_at").execute();
  await db.schema.alterTable("signatures").dropColumn("counted").execute();
}
