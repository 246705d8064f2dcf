import { verifyAgainstDecoy, verifyPassword } from "../crypto/passwords.ts";
import { keyedDigest } from "../crypto/tokens.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { hit } from "../store/rate-limit.ts";
import { createSession } from "../store/sessions.ts";
import { actorOf, findUserByEmail, normaliseEmail } from "../store/users.ts";

/*
 * Password sign-in. Attempts are limited per account (against guessing one person's password from many
 * addresses) and per client address (against trying one common password on many accounts); an office
 * behind one address gets a larger allowance than a single account. Every attempt counts, successful or
 * not, and is audited without the password or the typed address.
 */
export const LOGIN_LIMITS = {
  perAccount: { limit: 10, windowMs: 15 * 60 * 1000 },
  perClient: { limit: 30, windowMs: 15 * 60 * 1000 },
};

export type LogInInput = { email: string; password: string; ip: string };

export type LogInResult =
  | { outcome: "signed_in"; sessionToken: string; secondFactorRequired: boolean }
  | { outcome: "refused" }
  | { outcome: "rate_limited"; retryAfterMs: number };

export async function logIn(deps: CommandDeps, input: LogInInput, now: Date): Promise<LogInResult> {
  const { db } = deps.store;
  const email = normaliseEmail(input.email);
  // Limits first, in a transaction of their own: an attempt over its allowance costs two upserts, never
  // an argon2 computation, so a flood from one address cannot spend the server's cores.
  const limited = await db.transaction().execute(async (trx): Promise<LogInResult | undefined> => {
    const byAccount = await hit(
      trx,
      `login:account:${keyedDigest(deps.secret, "email", email)}`,
      LOGIN_LIMITS.perAccount.limit,
      LOGIN_LIMITS.perAccount.windowMs,
      now,
    );
    const byClient = await hit(
      trx,
      `login:prefix:${clientPrefix(input.ip)}`,
      LOGIN_LIMITS.perClient.limit,
      LOGIN_LIMITS.perClient.windowMs,
      now,
    );
    if (byAccount.allowed && byClient.allowed) return undefined;
    const holder = await findUserByEmail(trx, email);
    await recordAudit(
      trx,
      {
        actor: "system",
        action: "user.login_failed",
        subjectType: "user",
        subjectId: holder?.id ?? null,
        detail: { reason: "rate_limited" },
      },
      now,
    );
    return {
      outcome: "rate_limited",
      retryAfterMs: Math.max(byAccount.retryAfterMs, byClient.retryAfterMs),
    };
  });
  if (limited) return limited;

  // The slow password check runs outside any transaction so it never holds the database; an unknown
  // address costs the same time as a known one.
  const candidate = await findUserByEmail(db, email);
  const passwordRight = candidate
    ? await verifyPassword(candidate.password_hash, input.password)
    : await verifyAgainstDecoy(input.password);

  return db.transaction().execute(async (trx): Promise<LogInResult> => {
    const subject = { subjectType: "user", subjectId: candidate?.id ?? null };

    // The password may have been reset, or the account disabled, while it was being checked.
    const user =
      candidate && passwordRight
        ? await trx
            .selectFrom("users")
            .select(["id", "email", "totp_enabled_at"])
            .where("id", "=", candidate.id)
            .where("password_hash", "=", candidate.password_hash)
            .where("disabled_at", "is", null)
            .executeTakeFirst()
        : undefined;
    if (!user) {
      await recordAudit(
        trx,
        {
          actor: "system",
          action: "user.login_failed",
          ...subject,
          detail: { reason: candidate ? "wrong_password" : "unknown_account" },
        },
        now,
      );
      return { outcome: "refused" };
    }

    const secondFactorRequired = user.totp_enabled_at !== null;
    const sessionToken = await createSession(trx, user.id, !secondFactorRequired, now);
    await recordAudit(
      trx,
      {
        actor: actorOf(user),
        action: "user.login",
        subjectType: "user",
        subjectId: user.id,
        detail: { second_factor: secondFactorRequired ? "pending" : "not_enrolled" },
      },
      now,
    );
    return { outcome: "signed_in", sessionToken, secondFactorRequired };
  });
}
