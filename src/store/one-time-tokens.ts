import type { Kysely } from "kysely";
import { randomToken, sha256 } from "../crypto/tokens.ts";
import type { Role } from "../domain/roles.ts";
import type { TokenPurpose } from "./schema/accounts.ts";
import type { Database } from "./schema.ts";

/*
 * Single-use links (set-up, password reset, invitations). The link carries a random token; the table keeps
 * only its hash, its purpose, its expiry and when it was used.
 */

type Issue = {
  purpose: TokenPurpose;
  userId?: number;
  /** An invitation's campaign, address and role, and who sent it (kept as the token's user). */
  invite?: { campaignId: number; email: string; role: Role; invitedBy: number | null };
  ttlMs: number;
};

/**
 * Creates a token and revokes the unused ones of the same purpose (and user, or invited address and
 * campaign) issued before it, so only the newest link works: an older link left in a terminal scroll-back
 * or an inbox is dead.
 */
export async function issueToken(
  db: Kysely<Database>,
  issue: Issue,
  now: Date,
): Promise<{ id: number; token: string }> {
  const at = now.toISOString();
  await db
    .updateTable("one_time_tokens")
    .set({ expires_at: at })
    .where("purpose", "=", issue.purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", at)
    .$if(issue.userId !== undefined, (qb) => qb.where("user_id", "=", issue.userId!))
    .$if(issue.invite !== undefined, (qb) =>
      qb.where("campaign_id", "=", issue.invite!.campaignId).where("email", "=", issue.invite!.email),
    )
    .execute();
  const token = randomToken();
  const row = await db
    .insertInto("one_time_tokens")
    .values({
      token_hash: sha256(token),
      purpose: issue.purpose,
      user_id: issue.userId ?? issue.invite?.invitedBy ?? null,
      campaign_id: issue.invite?.campaignId ?? null,
      email: issue.invite?.email ?? null,
      role: issue.invite?.role ?? null,
      expires_at: new Date(now.getTime() + issue.ttlMs).toISOString(),
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** The token's row while it is unused and unexpired; undefined for anything else, including a wrong purpose. */
export async function findUsableToken(db: Kysely<Database>, purpose: TokenPurpose, token: string, now: Date) {
  return db
    .selectFrom("one_time_tokens")
    .selectAll()
    .where("token_hash", "=", sha256(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
}

/**
 * Marks the token used; false when another request spent it first. The condition sits in the UPDATE itself
 * so two simultaneous redemptions cannot both succeed, on either database.
 */
export async function spendToken(db: Kysely<Database>, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("one_time_tokens")
    .set({ used_at: now.toISOString() })
    .where("id", "=", id)
    .where("used_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
