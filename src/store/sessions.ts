import type { Kysely } from "kysely";
import { randomToken, sha256 } from "../crypto/tokens.ts";
import type { Database } from "./schema.ts";

/*
 * Console sessions. The cookie holds a random token; the table keys the session by the token's SHA-256, so
 * a copy of the database cannot be replayed as a cookie. Expiry slides: a session ends after 12 hours
 * without use and, in any case, 7 days after sign-in. A session waiting for its second factor lives
 * 10 minutes and opens nothing until the code is given.
 */

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
export const SECOND_FACTOR_WAIT_MS = 10 * 60 * 1000;
/** Sliding the expiry costs a write; doing it at most every few minutes keeps page views read-only. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export function sessionIdOf(token: string): string {
  return sha256(`session:${token}`);
}

function slidingExpiry(createdAt: string, now: Date): string {
  const idle = now.getTime() + SESSION_IDLE_MS;
  const max = new Date(createdAt).getTime() + SESSION_MAX_MS;
  return new Date(Math.min(idle, max)).toISOString();
}

/** Starts a session and returns the token for the cookie; the token itself is stored nowhere. */
export async function createSession(
  db: Kysely<Database>,
  userId: number,
  secondFactorDone: boolean,
  now: Date,
): Promise<string> {
  const token = randomToken();
  const at = now.toISOString();
  // Sessions left to expire are never signed out of; clear this user's old ones as a new one begins.
  await db.deleteFrom("sessions").where("user_id", "=", userId).where("expires_at", "<=", at).execute();
  await db
    .insertInto("sessions")
    .values({
      id: sessionIdOf(token),
      user_id: userId,
      created_at: at,
      last_seen_at: at,
      expires_at: secondFactorDone
        ? slidingExpiry(at, now)
        : new Date(now.getTime() + SECOND_FACTOR_WAIT_MS).toISOString(),
      second_factor_at: secondFactorDone ? at : null,
    })
    .execute();
  return token;
}

/** The live session with its (enabled) user, or undefined when it is unknown, expired or the user disabled. */
export async function findLiveSession(db: Kysely<Database>, sessionId: string, now: Date) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as sessionId",
      "sessions.created_at as createdAt",
      "sessions.last_seen_at as lastSeenAt",
      "sessions.second_factor_at as secondFactorAt",
      "users.id as userId",
      "users.email",
      "users.name",
      "users.role",
      "users.locale",
      "users.totp_enabled_at as totpEnabledAt",
    ])
    .where("sessions.id", "=", sessionId)
    .where("sessions.expires_at", ">", now.toISOString())
    .where("users.disabled_at", "is", null)
    .executeTakeFirst();
}

export type LiveSession = NonNullable<Awaited<ReturnType<typeof findLiveSession>>>;

/** Records use of a fully signed-in session and slides its expiry (at most once per few minutes). */
export async function touchSession(db: Kysely<Database>, session: LiveSession, now: Date): Promise<void> {
  if (now.getTime() - new Date(session.lastSeenAt).getTime() < TOUCH_INTERVAL_MS) return;
  await db
    .updateTable("sessions")
    .set({ last_seen_at: now.toISOString(), expires_at: slidingExpiry(session.createdAt, now) })
    .where("id", "=", session.sessionId)
    .execute();
}

/** Completes sign-in once the second factor is given: the session now opens the console and slides. */
export async function completeSecondFactor(
  db: Kysely<Database>,
  session: { sessionId: string; createdAt: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db
    .updateTable("sessions")
    .set({ second_factor_at: at, last_seen_at: at, expires_at: slidingExpiry(session.createdAt, now) })
    .where("id", "=", session.sessionId)
    .execute();
}

export async function endSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Ends every session of a user (after a password reset, say); returns how many ended. */
export async function endAllSessions(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Whether this session was opened (or confirmed) with a TOTP code while TOTP was on. A session signed in
 * before its user turned TOTP on never gave a code, so it does not count until it gives one.
 */
export function secondFactorProven(session: Pick<LiveSession, "secondFactorAt" | "totpEnabledAt">): boolean {
  return (
    session.totpEnabledAt !== null &&
    session.secondFactorAt !== null &&
    session.secondFactorAt >= session.totpEnabledAt
  );
}

/** Records that this complete session has just given a TOTP (or recovery) code. */
export async function markSecondFactor(db: Kysely<Database>, sessionId: string, now: Date): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ second_factor_at: now.toISOString() })
    .where("id", "=", sessionId)
    .where("second_factor_at", "is not", null)
    .execute();
}

/** The campaigns whose owner turned on "everyone needs TOTP" (few; read with each console request). */
export async function campaignsRequiringTotp(db: Kysely<Database>): Promise<ReadonlySet<number>> {
  const rows = await db.selectFrom("campaigns").select("id").where("require_totp", "=", 1).execute();
  return new Set(rows.map((r) => r.id));
}

export type SessionSummary = {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  secondFactor: boolean;
};

/** A user's live, complete sessions, most recently used first. No address or browser is stored to show. */
export async function listSessions(
  db: Kysely<Database>,
  userId: number,
  now: Date,
): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "sessions.second_factor_at",
      "users.totp_enabled_at",
    ])
    .where("sessions.user_id", "=", userId)
    .where("sessions.expires_at", ">", now.toISOString())
    .where("sessions.second_factor_at", "is not", null)
    .orderBy("sessions.last_seen_at", "desc")
    .orderBy("sessions.created_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    secondFactor: secondFactorProven({
      secondFactorAt: r.second_factor_at,
      totpEnabledAt: r.totp_enabled_at,
    }),
  }));
}

/** Ends a user's sessions except one (the one asking); returns how many ended. */
export async function endOtherSessions(db: Kysely<Database>, userId: number, keep: string): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("id", "<>", keep)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
