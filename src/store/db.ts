import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from "kysely";
import pg from "pg";
import { ConfigError } from "../config.ts";
import { notifyOtherProcesses } from "./change-feed.ts";
import { prepareDataDir, SQLITE_FILE, touchPrivateFile } from "./data-dir.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export type Store = {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
  /** The PostgreSQL pool's connections (for metrics); absent on SQLite, which has one connection. */
  poolUse?: () => { open: number; idle: number; waiting: number; max: number };
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
  const file = options.sqliteFile ?? path.join(options.dataDir, SQLITE_FILE);
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: reusingStatements(sqlite) }) });
  return { db, dialect: "sqlite", close: once(() => db.destroy()) };
}

/** Statements kept compiled, by their SQL: enough for every query the app builds, and then some. */
const STATEMENTS_KEPT = 500;

/*
 * Kysely prepares every query it runs, and better-sqlite3 compiles the SQL anew on every prepare: on the sign
 * path that compiling cost about as much as running the statements (docs/performance.md). The queries are
 * the same few strings with different parameters, so each compiled statement is kept (the least recently
 * used ones dropped past STATEMENTS_KEPT) and prepared again only while it is busy (a result still being
 * iterated). SQLite recompiles a kept statement by itself when a migration changes the schema under it.
 */
function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const statement = kept.get(sql);
      if (statement && !statement.busy) {
        kept.delete(sql);
        kept.set(sql, statement);
        return statement;
      }
      const fresh = sqlite.prepare(sql);
      kept.set(sql, fresh);
      if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      return fresh;
    },
  };
}

const POOL_MAX = 10;

async function openPostgres(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX, connectionTimeoutMillis: 5000 });
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
  // Letters this process changes are announced to the others (app processes, or a server beside this CLI).
  const notices = notifyOtherProcesses(db);
  const close = async () => {
    await notices.stop();
    await db.destroy();
  };
  const poolUse = () => ({
    open: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: POOL_MAX,
  });
  return { db, dialect: "postgres", close: once(close), poolUse };
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
