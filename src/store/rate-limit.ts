import type { Kysely } from "kysely";
import { keyedDigest } from "../crypto/tokens.ts";
import type { Database } from "./schema.ts";

/*
 * A fixed-window rate limiter kept in the database, so the limit holds however many app processes serve
 * requests (DESIGN.md, scale-out). One upsert per hit, atomic on both SQLite and PostgreSQL: it either
 * starts a fresh window or counts one more hit in the current one, and returns where the window stands.
 * Hits past the limit are still counted; that only matters within the window and keeps the query single.
 */

export type RateLimitResult = { allowed: boolean; retryAfterMs: number };

/** Windows may not exceed a day: older rows are pruned as stale. */
const LONGEST_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function hit(
  db: Kysely<Database>,
  key: string,
  limit: number,
  windowMs: number,
  now: Date,
): Promise<RateLimitResult> {
  if (windowMs > LONGEST_WINDOW_MS) throw new RangeError("rate-limit windows are at most one day long");
  const at = now.toISOString();
  // ISO-8601 UTC strings compare correctly as text, on both databases.
  const expiredBefore = new Date(now.getTime() - windowMs).toISOString();
  const row = await db
    .insertInto("rate_limits")
    .values({ key, window_start: at, hits: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet((eb) => {
        const expired = eb("rate_limits.window_start", "<=", expiredBefore);
        return {
          window_start: eb.case().when(expired).then(at).else(eb.ref("rate_limits.window_start")).end(),
          hits: eb
            .case()
            .when(expired)
            .then(1)
            .else(eb("rate_limits.hits", "+", 1))
            .end(),
        };
      }),
    )
    .returning(["window_start", "hits"])
    .executeTakeFirstOrThrow();

  // Rows of clients that never came back would pile up; an occasional sweep keeps the table small without
  // a scheduler.
  if (Math.random() < 0.01) {
    const staleBefore = new Date(now.getTime() - LONGEST_WINDOW_MS).toISOString();
    await db.deleteFrom("rate_limits").where("window_start", "<", staleBefore).execute();
  }

  const hits = Number(row.hits);
  if (hits <= limit) return { allowed: true, retryAfterMs: 0 };
  const windowEnds = new Date(row.window_start).getTime() + windowMs;
  return { allowed: false, retryAfterMs: Math.max(0, windowEnds - now.getTime()) };
}

/**
 * The part of a rate-limit key that stands for a client's IP address: a keyed, truncated hash, so the
 * table never holds an address, in any form that can be reversed, of someone who signed or logged in.
 */
export function ipKey(secret: string, ip: string): string {
  return keyedDigest(secret, "ip", ip);
}
