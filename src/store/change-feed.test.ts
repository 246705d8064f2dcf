import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { LogCapture } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { freePort } from "../../test/free-port.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { importSignaturesCommand } from "../cli/import-signatures.ts";
import { createLogger } from "../log.ts";
import { listenForChanges } from "./change-feed.ts";
import { onLetterChanged, onUnknownLetterChanges } from "./letter-changes.ts";

/*
 * The check: two app processes on PostgreSQL (`undersigned serve`, as operators run it), or one on
 * SQLite, have a letter's page in their caches, whose time-to-live is five seconds; the CLI imports an
 * endorsement beside them; every one shows it within a second of the import. On PostgreSQL word travels by
 * NOTIFY, on SQLite by PRAGMA data_version.
 */

const bin = path.resolve("bin/undersigned.js");
const NAME = "Fresh Organisation From The Command Line";

function cleanEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of ["PORT", "DATA_DIR", "DATABASE_URL", "SMTP_URL", "BASE_URL", "TEST_DATABASE_URL"])
    delete env[key];
  return env;
}

type Run = { child: ChildProcess; output: () => string; exit: Promise<number | null> };

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...cleanEnv(), ...env } });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  return { child, output: () => output, exit: new Promise((resolve) => child.on("exit", resolve)) };
}

async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  ms: number,
): Promise<number> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`fresh pages across processes on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const servers: Run[] = [];

    afterAll(async () => {
      for (const server of servers) {
        server.child.kill("SIGTERM");
        await server.exit;
      }
    });

    it("shows a change the CLI made on every app process within a second", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db, { moderation: false });
      const databaseUrl = store.databaseUrl();
      const env = {
        DATA_DIR: store.dataDir(),
        LOG_LEVEL: "warn",
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      };
      // Several app processes are a PostgreSQL set-up; on SQLite one server and the CLI beside it.
      const ports = dialect.name === "postgres" ? [await freePort(), await freePort()] : [await freePort()];
      for (const port of ports) {
        const server = run(["serve"], { ...env, PORT: String(port) });
        servers.push(server);
        await waitFor("a server to start", () => server.output().includes("Undersigned is serving"), 60_000);
      }
      const page = async (port: number) =>
        (await fetch(`http://127.0.0.1:${port}/letters/${letter.slug}`)).text();
      // Both processes render the page now and keep it for their time-to-live.
      for (const port of ports) expect(await page(port)).not.toContain(NAME);

      const file = path.join(store.dataDir(), "one.csv");
      writeFileSync(file, `name,kind,visibility\n${NAME},organisation,listed\n`);
      // The CLI's import, run in this test process: a third process on the database, whose commit follows
      // the pages' rendering by milliseconds, so without word of it they would stay as they are for 5 s.
      const out: string[] = [];
      const code = await importSignaturesCommand([file, "--letter", letter.slug, "--status", "approved"], {
        out: (text) => out.push(text),
        err: (line) => out.push(line),
        now: () => new Date(),
        askHidden: undefined,
        env: { ...cleanEnv(), ...env },
      });
      expect([code, out.join("")]).toEqual([0, expect.stringContaining("imported 1")]);
      const waited = await Promise.all(
        ports.map((port) =>
          waitFor(`port ${port} to show the import`, async () => (await page(port)).includes(NAME), 4_000),
        ),
      );
      expect(Math.max(...waited)).toBeLessThan(1_000);
      // Starting the app processes (tsx and the whole app, once each) takes most of this test's time.
    }, 150_000);
  });
}

const postgres = DIALECTS.find((d) => d.name === "postgres")!;
describe.skipIf(!postgres.available)("the change feed's connection on PostgreSQL", () => {
  const store = useStore("postgres");

  it("hears other processes' notices, and after losing its connection refreshes everything and listens again", async () => {
    const heard: number[] = [];
    let unknown = 0;
    const stops = [onLetterChanged((id) => heard.push(id)), onUnknownLetterChanges(() => unknown++)];
    const feed = await listenForChanges({
      db: store.current().db,
      databaseUrl: store.databaseUrl(),
      log: createLogger("silent", new LogCapture()),
    });
    const other = new pg.Client({ connectionString: store.databaseUrl() });
    await other.connect();
    try {
      const notify = (id: number) =>
        other.query("select pg_notify('undersigned_letter_changes', $1)", [`another-process:${id}`]);
      await notify(41);
      await waitFor("the first notice", () => heard.includes(41), 2_000);

      await other.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen %' and datname = current_database()",
      );
      await waitFor("the lost connection to be noticed", () => unknown >= 1, 2_000);
      await waitFor(
        "listening again",
        async () => {
          await notify(42);
          return heard.includes(42);
        },
        5_000,
      );
      expect(unknown).toBeGreaterThanOrEqual(2);
    } finally {
      await other.end();
      await feed.stop();
      for (const stop of stops) stop();
    }
  });
});
