import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import type { Logger } from "../log.ts";
import {
  forwardLetterChanges,
  letterChangedElsewhere,
  someLettersChangedElsewhere,
} from "./letter-changes.ts";
import type { Database } from "./schema.ts";

/*
 * Word of a letter's change, between the processes on one database, within a second, so that a page cached
 * by one app process does not show a letter as it was before another process (or the CLI) changed it.
 *
 * PostgreSQL: every process that opens the database NOTIFYs the letters it changed on one channel (the CLI
 * included: the store waits for its notices before closing); app processes LISTEN on a connection of their
 * own. A notice carries this process's random id, so a process skips its own (its caches already know), and
 * a letter id, nothing else; PostgreSQL keeps no notice once delivered. When the listening connection drops,
 * notices may be lost meanwhile: every cached letter is marked stale, and the connection is made again.
 *
 * SQLite: `PRAGMA data_version` on the server's own connection changes when any other connection commits
 * (a CLI import, another process), never for the server's own writes. It is read a few times a second and
 * any change marks every cached letter stale: which letters the other writer touched is not known.
 */

const CHANNEL = "undersigned_letter_changes";
const THIS_PROCESS = randomBytes(8).toString("hex");
const SQLITE_POLL_MS = 250;
const RECONNECT_MS = 1_000;

/** Sends this process's letterChanged() to the others on a PostgreSQL database; stop() waits for the sends. */
export function notifyOtherProcesses(db: Kysely<Database>): { stop(): Promise<void> } {
  const sending = new Set<Promise<unknown>>();
  const stopForwarding = forwardLetterChanges((letterId) => {
    // Best effort: a notice that fails leaves the other processes to their caches' time-to-live.
    const send = sql`select pg_notify(${CHANNEL}, ${`${THIS_PROCESS}:${letterId}`})`
      .execute(db)
      .catch(() => {})
      .finally(() => sending.delete(send));
    sending.add(send);
  });
  return {
    stop: async () => {
      stopForwarding();
      await Promise.all(sending);
    },
  };
}

export type ChangeFeed = { stop(): Promise<void> };

/**
 * Listens for the other processes' changes, for as long as this app process serves. Resolves once listening,
 * so that nothing the caches hold predates what the feed reports.
 */
export function listenForChanges(options: {
  db: Kysely<Database>;
  databaseUrl: string | undefined;
  log: Logger;
  pollMs?: number;
}): Promise<ChangeFeed> {
  return options.databaseUrl
    ? listenOnPostgres(options.databaseUrl, options.log)
    : watchSqliteVersion(options.db, options.pollMs ?? SQLITE_POLL_MS);
}

async function listenOnPostgres(databaseUrl: string, log: Logger): Promise<ChangeFeed> {
  let stopping = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    next.on("notification", (notice) => {
      const [origin, id] = (notice.payload ?? "").split(":");
      if (origin !== THIS_PROCESS && id && /^\d+$/.test(id)) letterChangedElsewhere(Number(id));
    });
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
    } catch (error) {
      log.warn({ err: error }, "change feed: cannot listen for other processes' changes; retrying");
      lost(next);
    }
  };

  const lost = (which: pg.Client) => {
    if (stopping || client !== which) return;
    client = undefined;
    which.end().catch(() => {});
    // What was said while nobody listened is gone: forget every cached letter once connected again.
    someLettersChangedElsewhere();
    retry = setTimeout(() => {
      void connect().then(() => someLettersChangedElsewhere());
    }, RECONNECT_MS);
    retry.unref();
  };

  await connect();
  return {
    stop: async () => {
      stopping = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

async function watchSqliteVersion(db: Kysely<Database>, pollMs: number): Promise<ChangeFeed> {
  const read = async () =>
    (await sql<{ data_version: number }>`pragma data_version`.execute(db)).rows[0]?.data_version;
  // Read before serving: a change between the first cached page and the first poll must not become the baseline.
  let last = await read();
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = read()
      .then((version) => {
        if (version !== last) someLettersChangedElsewhere();
        last = version;
      })
      .catch(() => {});
  }, pollMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
