import { hashPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import type { Locale } from "../i18n/index.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { findUsableToken, spendToken } from "../store/one-time-tokens.ts";
import { createSession } from "../store/sessions.ts";
import { checkTokenPost } from "../store/token-posts.ts";
import { hasAnyUser, normaliseEmail } from "../store/users.ts";

export type CreateOwnerInput = {
  token: string;
  name: string;
  email: string;
  password: string;
  locale: Locale;
  ip: string;
};

/**
 * Redeems the set-up link: creates the owner account and signs its creator in. Throws token_invalid when the
 * link is unknown, expired, used, or an account already exists.
 */
export async function createOwner(
  deps: CommandDeps,
  input: CreateOwnerInput,
  now: Date,
): Promise<{ userId: number; sessionToken: string }> {
  await checkTokenPost(deps, { purpose: "setup", token: input.token, ip: input.ip }, now);
  // Hashing takes tens of milliseconds: do it before the transaction so it never holds the database.
  const passwordHash = await hashPassword(input.password);
  return deps.store.db.transaction().execute(async (trx) => {
    const token = await findUsableToken(trx, "setup", input.token, now);
    if (!token || (await hasAnyUser(trx)) || !(await spendToken(trx, token.id, now))) {
      throw new AppError("token_invalid");
    }
    const at = now.toISOString();
    const email = normaliseEmail(input.email);
    const { id: userId } = await trx
      .insertInto("users")
      .values({
        email,
        name: input.name.trim(),
        password_hash: passwordHash,
        role: "owner",
        locale: input.locale,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // A new account has no second factor yet, so its first session is complete at once.
    const sessionToken = await createSession(trx, userId, true, now);
    await recordAudit(
      trx,
      {
        actor: { userId, label: email },
        action: "user.created",
        subjectType: "user",
        subjectId: userId,
        detail: { role: "owner", via: "setup_link" },
      },
      now,
    );
    return { userId, sessionToken };
  });
}
