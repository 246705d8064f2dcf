import { type Kysely, PostgresAdapter } from "kysely";

/*
 * Imports run in batches, each its own short transaction, so an import has a record of its own: which file
 * (by digest) went to which letter, how far it got (the last file row whose batch committed) and what it
 * counted so far. That record makes a re-run after a crash finish the file instead of starting it again,
 * and is what the console's progress display polls.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const builder = db.schema.createTable("imports");
  await (isPostgres
    ? builder.addColumn("id", "serial", (c) => c.primaryKey())
    : builder.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
  )
    .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
    .addColumn("file_sha256", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("rows_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("imported", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("duplicates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("imports_letter_file", ["letter_id", "file_sha256"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("imports").execute();
}
