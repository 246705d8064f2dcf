import { type Kysely, PostgresAdapter } from "kysely";

/*
 * The transparency log (domain/tlog): one append-only RFC 6962 tree per installation.
 *
 * - log_state: one row (id 1). Its update opens every append, so appends from any number of processes are
 *   serialised by the database's own row lock (PostgreSQL) or write lock (SQLite). It holds the origin, the
 *   verifier key every process must match, the signer key when the installation keeps it here rather than
 *   in LOG_KEY, and the newest signed checkpoint.
 * - log_entries: the entries by index, with which letter and signature each is about (for the integrator
 *   and withdrawals), and for listed endorsements the name and salt published beside the log, erased when
 *   the endorsement is withdrawn.
 * - log_nodes: every complete subtree hash, (level, index). Tiles are range reads of one level; proofs are
 *   one lookup per hash; an append writes two rows per entry on average.
 * - letters.log_name: the letter's permanent name in the log, fixed at its first entry.
 *
 * log_heads (a per-letter hash chain from the first schema, never used) gives way to the one tree.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the evolving typed schema.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropTable("log_heads").ifExists().execute();

  await db.schema
    .createTable("log_state")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("verifier_key", "text", (c) => c.notNull())
    .addColumn("signer_key", "text")
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("checkpoint", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("log_entries")
    .addColumn("idx", "integer", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("letter_id", "integer")
    .addColumn("signature_id", "integer")
    .addColumn("entry", "text", (c) => c.notNull())
    .addColumn("listed_name", "text")
    .addColumn("listed_salt", "text")
    .addColumn("withdrawn_by", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("log_entries_letter")
    .on("log_entries")
    .columns(["letter_id", "kind"])
    .execute();
  await db.schema.createIndex("log_entries_signature").on("log_entries").column("signature_id").execute();

  await db.schema
    .createTable("log_nodes")
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("idx", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("log_nodes_pk", ["level", "idx"])
    .execute();

  await db.schema.alterTable("letters").addColumn("log_name", "text").execute();
  await db.schema.createIndex("letters_log_name").on("letters").column("log_name").unique().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("letters_log_name").execute();
  await db.schema.alterTable("letters").dropColumn("log_name").execute();
  for (const name of ["log_nodes", "log_entries", "log_state"]) await db.schema.dropTable(name).execute();
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable("log_heads")
    .addColumn("id", isPostgres ? "serial" : "integer", (c) =>
      isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("letter_id", "integer", (c) => c.notNull().references("letters.id").onDelete("cascade"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("root", "text", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("listed", "integer", (c) => c.notNull())
    .addColumn("undisclosed", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addUniqueConstraint("log_heads_seq", ["letter_id", "seq"])
    .execute();
}
