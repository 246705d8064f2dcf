import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { type Dialect, openStore, type Store } from "../src/store/db.ts";
import { migrateToLatest } from "../src/store/migrate.ts";

/*
 * Integration tests run the same suite against every available database, on real servers:
 *
 *   for (const dialect of DIALECTS) describe.skipIf(!dialect.available)(`... on ${dialect.label}`, () => {
 *     const store = useStore(dialect.name);
 *     ...
 *   });
 *
 * SQLite always runs. PostgreSQL runs when DATABASE_URL (or TEST_DATABASE_URL) names a server: each test
 * file gets a fresh database created there and dropped afterwards. TEST_DIALECTS=postgres (or sqlite)
 * restricts the run, which CI uses to run the PostgreSQL pass without repeating SQLite.
 */

const postgresUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";
const only = (process.env.TEST_DIALECTS ?? "").split(",").filter(Boolean);

export type DialectInfo = { name: Dialect; label: string; available: boolean };

export const DIALECTS: DialectInfo[] = [
  { name: "sqlite", label: "SQLite", available: only.length === 0 || only.includes("sqlite") },
  {
    name: "postgres",
    label: postgresUrl ? "PostgreSQL" : "PostgreSQL (skipped: set DATABASE_URL to run)",
    available: Boolean(postgresUrl) && (only.length === 0 || only.includes("postgres")),
  },
];

/** A fresh, migrated store for the enclosing describe block; `current()` returns it inside tests. */
export function useStore(dialect: Dialect): {
  current(): Store;
  dataDir(): string;
  /** The scratch PostgreSQL database's URL (for pg_dump and the like); undefined on SQLite. */
  databaseUrl(): string | undefined;
} {
  let store: Store | undefined;
  let dataDir = "";
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-test-"));
    if (dialect === "sqlite") {
      store = await openStore({ dataDir });
    } else {
      const { url, drop } = await createScratchDatabase(postgresUrl);
      dropDatabase = drop;
      databaseUrl = url;
      store = await openStore({ dataDir, databaseUrl: url });
    }
    await migrateToLatest(store.db);
  });

  afterAll(async () => {
    await store?.close();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    current: () => {
      if (!store) throw new Error("useStore: the store is opened in beforeAll");
      return store;
    },
    dataDir: () => dataDir,
    databaseUrl: () => databaseUrl,
  };
}

export async function createScratchDatabase(
  baseUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `undersigned_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
