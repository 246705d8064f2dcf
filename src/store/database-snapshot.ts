import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { SQLITE_FILE } from "./data-dir.ts";
import type { Dialect } from "./db.ts";
import { ExportError, exportTables, importTables } from "./postgres-export.ts";

/*
 * One consistent copy of the whole database, taken while the server keeps serving, and its way back.
 *
 * SQLite: sqlite3_serialize (better-sqlite3's serialize()) reads every page through the pager inside one read
 * transaction, so it sees the WAL's committed pages and no half of a write; writers carry on meanwhile. The
 * copy is marked as a rollback-journal database, so it is one self-contained file any sqlite3 opens.
 *
 * PostgreSQL: a REPEATABLE READ transaction exports its snapshot, counts every table in it, and pg_dump
 * dumps that very snapshot (--snapshot), so the counts and the dump agree row for row. Where pg_dump is not
 * installed the same transaction reads every table's rows itself (postgres-export.ts): the same snapshot,
 * in a format only `undersigned restore` reads.
 *
 * Each snapshot carries the number of rows of every table; a restore checks the restored database against
 * them before it reports success.
 */

export class BackupError extends Error {}

export type RowCounts = Record<string, number>;

export type SnapshotFormat = "sqlite" | "pgdump" | "pgexport";

export type DatabaseSnapshot = {
  dialect: Dialect;
  /** How `bytes` holds the database. */
  format: SnapshotFormat;
  /** The database as one file: an SQLite database, a pg_dump archive (custom format), or an export. */
  bytes: Uint8Array;
  rows: RowCounts;
};

export type DatabaseLocation = { databaseUrl: string | undefined; dataDir: string };

export async function takeSnapshot(location: DatabaseLocation): Promise<DatabaseSnapshot> {
  return location.databaseUrl
    ? snapshotPostgres(location.databaseUrl)
    : snapshotSqlite(path.join(location.dataDir, SQLITE_FILE));
}

function snapshotSqlite(file: string): DatabaseSnapshot {
  if (!existsSync(file)) throw new BackupError(`there is no database at ${file} (check DATA_DIR)`);
  const live = new SQLite(file, { fileMustExist: true });
  let bytes: Buffer;
  try {
    live.pragma("busy_timeout = 5000");
    bytes = live.serialize();
  } finally {
    live.close();
  }
  // Bytes 18 and 19 of the header say "WAL"; 1 and 1 mean a rollback journal, which a lone file can have.
  bytes[18] = 1;
  bytes[19] = 1;
  return { dialect: "sqlite", format: "sqlite", bytes, rows: sqliteRows(bytes) };
}

function sqliteRows(database: Buffer | string): RowCounts {
  const sqlite = new SQLite(database, { readonly: typeof database === "string" });
  try {
    const tables = sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [
        table,
        sqlite
          .prepare(`select count(*) from "${table.replaceAll('"', '""')}"`)
          .pluck()
          .get() as number,
      ]),
    );
  } finally {
    sqlite.close();
  }
}

async function snapshotPostgres(databaseUrl: string): Promise<DatabaseSnapshot> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("begin transaction isolation level repeatable read read only");
    const exported = await client.query<{ id: string }>("select pg_export_snapshot() as id");
    const rows = await postgresRows(client);
    const dump = await runPostgresTool(
      "pg_dump",
      ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${exported.rows[0]!.id}`],
      databaseUrl,
    ).catch((error: unknown) => {
      if (error instanceof MissingToolError) return undefined;
      throw error;
    });
    const snapshot: DatabaseSnapshot = dump
      ? { dialect: "postgres", format: "pgdump", bytes: dump, rows }
      : {
          dialect: "postgres",
          format: "pgexport",
          bytes: await exportTables(client, Object.keys(rows)),
          rows,
        };
    await client.query("commit");
    return snapshot;
  } finally {
    await client.end();
  }
}

async function postgresRows(client: pg.Client): Promise<RowCounts> {
  const tables = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const rows: RowCounts = {};
  for (const { name } of tables.rows) {
    const counted = await client.query<{ n: string }>(
      `select count(*) as n from "${name.replaceAll('"', '""')}"`,
    );
    rows[name] = Number(counted.rows[0]!.n);
  }
  return rows;
}

/** Refuses a database that already holds tables: a restore never mixes a backup with what is there. */
export async function ensureEmptyDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await postgresRows(client);
    const names = Object.keys(tables);
    if (names.length > 0)
      throw new BackupError(
        `the database in DATABASE_URL is not empty (it has ${names.length} tables, e.g. ${names[0]}): restore only into a new, empty database`,
      );
  } finally {
    await client.end();
  }
}

/**
 * Puts a snapshot back: an SQLite file written into `sqliteFolder`, or a pg_dump archive restored into the
 * (empty) database of DATABASE_URL in one transaction. Then compares every table's rows with the snapshot's.
 */
export async function restoreSnapshot(
  snapshot: DatabaseSnapshot,
  target: { databaseUrl: string | undefined; sqliteFile: string },
): Promise<void> {
  let restored: RowCounts;
  if (snapshot.format === "pgexport") {
    await importTables(target.databaseUrl!, snapshot.bytes).catch((error: unknown) => {
      throw error instanceof ExportError ? new BackupError(error.message) : error;
    });
    restored = await countPostgres(target.databaseUrl!);
  } else if (snapshot.format === "pgdump") {
    await runPostgresTool(
      "pg_restore",
      ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
      target.databaseUrl!,
      snapshot.bytes,
    );
    restored = await countPostgres(target.databaseUrl!);
  } else {
    restored = sqliteRows(target.sqliteFile);
  }
  for (const [table, count] of Object.entries(snapshot.rows)) {
    if (restored[table] !== count)
      throw new BackupError(
        `the restored database differs from the backup: table ${table} has ${restored[table] ?? "no"} rows, the backup ${count}`,
      );
  }
}

async function countPostgres(databaseUrl: string): Promise<RowCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return postgresRows(client).finally(() => client.end());
}

/** A PostgreSQL client tool that is not installed. */
class MissingToolError extends BackupError {}

/**
 * Runs pg_dump or pg_restore on the database of `databaseUrl`. The password goes in PGPASSWORD rather than on
 * the command line, where every user of the machine could read it (ps).
 */
function runPostgresTool(
  tool: "pg_dump" | "pg_restore",
  args: string[],
  databaseUrl: string,
  input?: Uint8Array,
): Promise<Buffer> {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [...args, `--dbname=${url.toString()}`], {
      env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new MissingToolError(
              `${tool} is not on PATH: install the PostgreSQL client tools (Debian: postgresql-client) of the server's major version or newer`,
            )
          : error,
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new BackupError(`${tool} failed (exit ${code}): ${err.trim().split("\n")[0] ?? ""}`));
    });
    child.stdin.end(input);
  });
}
