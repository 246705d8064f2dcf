import { createHmac, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/*
 * A fixed-window rate limiter kept in the database, so the limit holds however many app processes serve
 * requests (DESIGN.md, scale-out).
 *
 * Windows lie on a grid from UTC midnight (a day-long window is the UTC day), so what a window's row says of
 * time is its grid cell, never the moment of a hit. Each window has a random key of its own, made by the
 * first hit in it; a hit is counted under an HMAC of what is limited (a client's prefix, an account) with
 * that key. When the window ends its key and its rows are deleted together (by the next hit that opens a
 * window, and by the server's periodic sweep), so a copy of the database taken later holds nothing that
 * could be tried against the address space: a seizure yields at most the hashes of windows still open.
 *
 * Hits past the limit are still counted; that only matters within the window and keeps the query single.
 */

export type RateLimitResult = {
  allowed: boolean;
  retryAfterMs: number;
  /** Hits on this subject in the window so far, this one included. */
  hits: number;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

/** Where the window holding `now` starts and ends, on the grid of `windowMs` from UTC midnight. */
export function windowAround(windowMs: number, now: Date): { start: Date; end: Date } {
  if (windowMs < MINUTE_MS || windowMs > DAY_MS || DAY_MS % windowMs !== 0 || windowMs % MINUTE_MS !== 0) {
    throw new RangeError("a rate-limit window is a whole number of minutes that divides a day");
  }
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return { start: new Date(start), end: new Date(start + windowMs) };
}

export async function hit(
  db: Kysely<Database>,
  subject: string,
  limit: number,
  windowMs: number,
  now: Date,
): Promise<RateLimitResult> {
  const { start, end } = windowAround(windowMs, now);
  const id = `${windowMs / MINUTE_MS}:${start.toISOString()}`;
  const window = (await windowKey(db, id)) ?? (await openWindow(db, id, start, end, now));
  const row = await db
    .insertInto("rate_limits")
    .values({ window_id: id, subject_hash: subjectHash(window, subject), hits: 1 })
    .onConflict((oc) =>
      oc
        .columns(["window_id", "subject_hash"])
        .doUpdateSet((eb) => ({ hits: eb("rate_limits.hits", "+", 1) })),
    )
    .returning("hits")
    .executeTakeFirstOrThrow();

  const hits = Number(row.hits);
  if (hits <= limit) return { allowed: true, retryAfterMs: 0, hits };
  return { allowed: false, retryAfterMs: Math.max(0, end.getTime() - now.getTime()), hits };
}

/*
 * The window is looked up before it is opened: only the first hit of a window finds none, so every other
 * hit pays one statement for the key rather than an insert and a select.
 */
async function windowKey(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("rate_limit_windows")
    .select("hmac_key")
    .where("id", "=", id)
    .executeTakeFirst();
  return row?.hmac_key;
}

async function openWindow(
  db: Kysely<Database>,
  id: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<string> {
  const opened = await db
    .insertInto("rate_limit_windows")
    .values({
      id,
      hmac_key: randomBytes(32).toString("base64url"),
      starts_at: start.toISOString(),
      ends_at: end.toISOString(),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  // The first hit of a window is the moment earlier windows of its length have ended.
  if (Number(opened.numInsertedOrUpdatedRows ?? 0) > 0) await closeEndedWindows(db, now);
  // Another request may have opened it a moment before: its key is the one.
  const key = await windowKey(db, id);
  if (key === undefined) throw new Error(`rate-limit window ${id} vanished as it opened`);
  return key;
}

/** The HMAC a subject is counted under in a window: recognisable within the window, and only with its key. */
export function subjectHash(windowKey: string, subject: string): string {
  return createHmac("sha256", windowKey).update(subject).digest("hex").slice(0, 32);
}

/** Deletes every window that has ended, with its key and its rows; returns how many windows went. */
export async function closeEndedWindows(db: Kysely<Database>, now: Date): Promise<number> {
  const at = now.toISOString();
  // ISO-8601 UTC strings compare correctly as text, on both databases.
  await db
    .deleteFrom("rate_limits")
    .where("window_id", "in", (eb) =>
      eb.selectFrom("rate_limit_windows").select("id").where("ends_at", "<=", at),
    )
    .execute();
  const gone = await db.deleteFrom("rate_limit_windows").where("ends_at", "<=", at).executeTakeFirst();
  return Number(gone.numDeletedRows);
}
