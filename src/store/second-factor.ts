import type { Kysely } from "kysely";
import { acceptTotpCode, looksLikeTotpCode, spendRecoveryCode } from "../crypto/totp.ts";
import { type AuditEntry, recordAudit } from "./audit.ts";
import type { Dialect } from "./db.ts";
import { hit } from "./rate-limit.ts";
import type { Database } from "./schema.ts";

/*
 * Checking a second factor (a TOTP code or a recovery code) and recording that it was used, shared by
 * sign-in and by turning the factor off. A TOTP step is remembered in the audit entry that records its
 * use, so no extra column is needed to refuse the same code twice: only entries from the last couple of
 * minutes can matter, since a code is valid for at most three 30-second steps.
 */

/**
 * Guesses at a user's second factor are counted per account, whichever session or form they come from
 * (sign-in, confirming TOTP, turning it off), so opening fresh sessions does not buy more guesses. Sign-in
 * also waits longer as guesses go on (commands/verify-second-factor.ts); the others use the first window.
 */
export const SECOND_FACTOR_LIMIT = { limit: 10, windowMs: 15 * 60 * 1000 };
export const SECOND_FACTOR_BACKOFF = [
  SECOND_FACTOR_LIMIT,
  { limit: 20, windowMs: 60 * 60 * 1000 },
  { limit: 30, windowMs: 24 * 60 * 60 * 1000 },
];

/** One guess at the user's second factor, counted against `window` of the account's allowance. */
export function hitSecondFactorLimit(
  db: Kysely<Database>,
  userId: number,
  window: { limit: number; windowMs: number },
  now: Date,
) {
  return hit(db, `second-factor:user:${userId}`, window.limit, window.windowMs, now);
}

/** The user's second-factor state, locked for the rest of the transaction on PostgreSQL (SQLite
 * transactions already run one at a time), so two requests cannot both spend the same code. */
export async function lockSecondFactor(db: Kysely<Database>, dialect: Dialect, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "email", "locale", "password_hash", "totp_secret", "totp_enabled_at", "recovery_codes"])
    .where("id", "=", userId)
    .where("disabled_at", "is", null)
    .$if(dialect === "postgres", (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export type SecondFactorUser = NonNullable<Awaited<ReturnType<typeof lockSecondFactor>>>;

export type SecondFactorProof =
  | { method: "totp"; step: number }
  | { method: "recovery_code"; remainingHashes: string[] };

const REPLAY_HORIZON_MS = 2 * 60 * 1000;

/** The latest TOTP step this user has used, among recent audit entries; null when none is recent. */
export async function lastTotpStep(db: Kysely<Database>, userId: number, now: Date): Promise<number | null> {
  const rows = await db
    .selectFrom("audit_entries")
    .select("detail")
    .where("at", ">", new Date(now.getTime() - REPLAY_HORIZON_MS).toISOString())
    .where("subject_type", "=", "user")
    .where("subject_id", "=", userId)
    .execute();
  const steps = rows
    .map((row) => (JSON.parse(row.detail) as { totp_step?: unknown }).totp_step)
    .filter((step): step is number => typeof step === "number");
  return steps.length ? Math.max(...steps) : null;
}

/** Whether `code` proves the second factor of a user who has one; null when it does not. */
export async function checkSecondFactor(
  db: Kysely<Database>,
  user: SecondFactorUser,
  code: string,
  now: Date,
): Promise<SecondFactorProof | null> {
  if (!user.totp_secret || !user.totp_enabled_at) return null;
  if (looksLikeTotpCode(code)) {
    const step = acceptTotpCode(user.totp_secret, code, now, await lastTotpStep(db, user.id, now));
    return step === null ? null : { method: "totp", step };
  }
  const remainingHashes = spendRecoveryCode(JSON.parse(user.recovery_codes ?? "[]") as string[], code);
  return remainingHashes ? { method: "recovery_code", remainingHashes } : null;
}

/**
 * Uses up the proof and audits it in one go: a recovery code is struck off, a TOTP step is written to the
 * audit entry (which is what makes it unusable again).
 */
export async function spendSecondFactor(
  db: Kysely<Database>,
  user: SecondFactorUser,
  proof: SecondFactorProof,
  audit: Omit<AuditEntry, "detail" | "subjectType" | "subjectId">,
  now: Date,
): Promise<void> {
  if (proof.method === "recovery_code") {
    await db
      .updateTable("users")
      .set({ recovery_codes: JSON.stringify(proof.remainingHashes), updated_at: now.toISOString() })
      .where("id", "=", user.id)
      .execute();
  }
  await recordAudit(
    db,
    {
      ...audit,
      subjectType: "user",
      subjectId: user.id,
      detail:
        proof.method === "totp"
          ? { method: "totp", totp_step: proof.step }
          : { method: "recovery_code", recovery_codes_left: proof.remainingHashes.length },
    },
    now,
  );
}
