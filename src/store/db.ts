import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { ConfigError } from "../config.ts";
import { prepareDataDir, touchPrivateFile } from "./data-dir.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export type Store = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
};

export type StoreOptions = { databaseUrl?: string | undefined; dataDir: string; sqliteFile?: string };

/**
 * Opens the configured database: PostgreSQL when a URL is given, otherwise an SQLite file under the data
 * directory in WAL mode. Throws a ConfigError naming DATABASE_URL when PostgreSQL cannot be reached, so the
 * CLI can exit 2 with one clear line instead of a stack trace on the first request.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options);
}

function openSqlite(options: StoreOptions): Store {
  prepareDataDir(options.dataDir);
  const file = options.sqliteFile ?? path.join(options.dataDir, "undersigned.sqlite");
  if (file !== ":memory:") touchPrivateFile(file);
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // Erased values (a confirmation address once its mail is sent) are zeroed on disk, not just unlinked:
  // a copy of the file must not yield what the application deleted.
  sqlite.pragma("secure_delete = ON");
  // Several processes (a CLI import while the server runs) may write; wait rather than fail.
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: once(() => db.destroy()) };
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; the next query reports it instead.
  pool.on("error", () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new ConfigError(
      "DATABASE_URL",
      `cannot connect to PostgreSQL at ${describe(databaseUrl)} (${reason(error)})`,
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: once(() => db.destroy()) };
}

/** Host, port and database only: the URL may carry a password that must not reach a terminal or log. */
function describe(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

function reason(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: string; message?: string };
    return [e.code, e.message].filter(Boolean).join(": ") || "unknown error";
  }
  return String(error);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
