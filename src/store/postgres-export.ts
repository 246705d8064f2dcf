import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrations } from "./migrate.ts";

/*
 * A PostgreSQL backup for a machine without pg_dump: every table's rows as JSON, read inside the caller's
 * REPEATABLE READ transaction (one snapshot for all tables), and the way back into an empty database.
 *
 * The file is JSON lines: a header, then one line per row, {"table": …, "row": {…}}. PostgreSQL writes each
 * row (row_to_json) and reads it back (json_populate_recordset against the table's own row type), so every
 * column keeps its type without a mapping here: text, numbers, booleans and bytea (as \x hex) alike.
 *
 * Restoring rebuilds the schema by running, in one transaction, the very migrations the backup's database
 * had run (its kysely_migration rows), so the rows land in the tables they came from even when this release
 * knows newer migrations (the server applies those at its next start). Foreign keys are set aside while the
 * rows go in, in any order, and put back afterwards, which checks every reference; sequences continue after
 * the largest id restored.
 */

const HEADER = { format: "undersigned-postgres-export", version: 1 };
const MIGRATION_TABLE = "kysely_migration";
const MIGRATION_LOCK_TABLE = "kysely_migration_lock";
const BATCH_ROWS = 500;

export class ExportError extends Error {}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The rows of `tables`, read by `client` inside its open transaction. */
export async function exportTables(client: pg.Client, tables: string[]): Promise<Buffer> {
  const lines = [JSON.stringify(HEADER)];
  for (const table of tables) {
    const result = await client.query<{ row: string }>(
      `select row_to_json(t)::text as row from ${quoted(table)} t`,
    );
    for (const { row } of result.rows) lines.push(`{"table":${JSON.stringify(table)},"row":${row}}`);
  }
  return Buffer.from(`${lines.join("\n")}\n`, "utf8");
}

/** Puts an export back into the empty database of `databaseUrl`, all or nothing. */
export async function importTables(databaseUrl: string, bytes: Uint8Array): Promise<void> {
  const rows = readExport(bytes);
  const applied = (rows.get(MIGRATION_TABLE) ?? [])
    .map((row) => row as { name: string; timestamp: string })
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.name.localeCompare(b.name));
  const unknown = applied.find((m) => !(m.name in migrations));
  if (unknown)
    throw new ExportError(
      `the backup's database ran migration ${unknown.name}, which this release does not know: restore with the release that made the backup or a newer one`,
    );

  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 1 }) }),
  });
  try {
    await db.transaction().execute(async (trx) => {
      // The migrator's own tables, as Kysely makes them; their rows come from the backup like any other.
      await sql`create table ${sql.table(MIGRATION_TABLE)} (name varchar(255) primary key, timestamp varchar(255) not null)`.execute(
        trx,
      );
      await sql`create table ${sql.table(MIGRATION_LOCK_TABLE)} (id varchar(255) primary key, is_locked integer not null default 0)`.execute(
        trx,
      );
      for (const { name } of applied) await migrations[name]!.up(trx);

      const tables = (
        await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(trx)
      ).rows.map((r) => r.name);
      const stray = [...rows.keys()].find((table) => !tables.includes(table));
      if (stray)
        throw new ExportError(`the backup holds rows of table ${stray}, which its migrations do not make`);

      const foreignKeys = (
        await sql<{ table: string; name: string; definition: string }>`
          select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
          from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace`.execute(
          trx,
        )
      ).rows;
      for (const fk of foreignKeys)
        await sql.raw(`alter table ${fk.table} drop constraint ${quoted(fk.name)}`).execute(trx);
      for (const [table, tableRows] of rows) {
        for (let i = 0; i < tableRows.length; i += BATCH_ROWS) {
          const batch = JSON.stringify(tableRows.slice(i, i + BATCH_ROWS));
          await sql`insert into ${sql.table(table)} select * from json_populate_recordset(null::${sql.table(table)}, ${batch}::json)`.execute(
            trx,
          );
        }
      }
      for (const fk of foreignKeys)
        await sql
          .raw(`alter table ${fk.table} add constraint ${quoted(fk.name)} ${fk.definition}`)
          .execute(trx);

      const serials = (
        await sql<{ table: string; column: string; sequence: string }>`
          select table_name as table, column_name as column,
            pg_get_serial_sequence(quote_ident(table_name), column_name) as sequence
          from information_schema.columns
          where table_schema = current_schema() and column_default like 'nextval(%'`.execute(trx)
      ).rows;
      for (const s of serials) {
        await sql
          .raw(
            `select setval('${s.sequence.replaceAll("'", "''")}', coalesce((select max(${quoted(s.column)}) from ${quoted(s.table)}), 0) + 1, false)`,
          )
          .execute(trx);
      }
    });
  } finally {
    await db.destroy();
  }
}

function readExport(bytes: Uint8Array): Map<string, unknown[]> {
  const lines = Buffer.from(bytes).toString("utf8").split("\n").filter(Boolean);
  const header = parse(lines[0] ?? "") as typeof HEADER | undefined;
  if (header?.format !== HEADER.format || header.version !== HEADER.version)
    throw new ExportError("the backup's database export is not one this release reads");
  const rows = new Map<string, unknown[]>();
  for (const line of lines.slice(1)) {
    const entry = parse(line) as { table?: unknown; row?: unknown } | undefined;
    if (typeof entry?.table !== "string" || typeof entry.row !== "object" || entry.row === null)
      throw new ExportError("the backup's database export is damaged");
    const list = rows.get(entry.table) ?? [];
    list.push(entry.row);
    rows.set(entry.table, list);
  }
  return rows;
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
