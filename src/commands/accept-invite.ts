import { z } from "zod";
import { hashPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import type { Role } from "../domain/roles.ts";
import type { Locale } from "../i18n/index.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { setMembership } from "../store/memberships.ts";
import { findUsableToken, spendToken } from "../store/one-time-tokens.ts";
import { createSession } from "../store/sessions.ts";

export type AcceptInviteInput =
  /** Someone new: the invitation creates their account (with the invited role) and signs them in. */
  | { token: string; kind: "new"; name: string; password: string; locale: Locale }
  /** Someone signed in with the invited address: they just join the campaign. */
  | { token: string; kind: "existing"; userId: number };

export type AcceptInviteResult = { campaignSlug: string; userId: number; sessionToken?: string };

const nameSchema = z.string().trim().min(1).max(120);

/**
 * Redeems an invitation. Throws token_invalid for an unknown, expired, revoked or used link; invalid_state
 * when a new account is asked for an address that already has one (sign in first), or the signed-in
 * account is not the invited address (the link is for someone else).
 */
export async function acceptInvite(
  deps: CommandDeps,
  input: AcceptInviteInput,
  now: Date,
): Promise<AcceptInviteResult> {
  // Hashing is slow: before the transaction, so it never holds the database.
  const passwordHash = input.kind === "new" ? await hashPassword(input.password) : undefined;
  const name = input.kind === "new" ? nameSchema.parse(input.name) : undefined;
  return deps.store.db.transaction().execute(async (trx) => {
    const invite = await findUsableToken(trx, "invite", input.token, now);
    if (!invite || invite.campaign_id === null || invite.email === null || invite.role === null)
      throw new AppError("token_invalid");
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "slug"])
      .where("id", "=", invite.campaign_id)
      .executeTakeFirst();
    if (!campaign) throw new AppError("token_invalid");
    const role: Role = invite.role;
    // The campaign role is the invitation's. The account's own role says whether it may start campaigns of
    // its own, a right over the whole server that only an owner grants: an account made from anyone else's
    // invitation is a reviewer account, whatever it does in this campaign.
    const inviter = invite.user_id
      ? await trx.selectFrom("users").select("role").where("id", "=", invite.user_id).executeTakeFirst()
      : undefined;
    const accountRole: Role = inviter?.role === "owner" ? role : "reviewer";
    const at = now.toISOString();
    const existing = await trx
      .selectFrom("users")
      .select(["id", "email", "disabled_at"])
      .where("email", "=", invite.email)
      .executeTakeFirst();

    let userId: number;
    let sessionToken: string | undefined;
    if (input.kind === "new") {
      if (existing) throw new AppError("invalid_state", {}, { email: "invite.accountExists" });
      ({ id: userId } = await trx
        .insertInto("users")
        .values({
          email: invite.email,
          name: name!,
          password_hash: passwordHash!,
          role: accountRole,
          locale: input.locale,
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow());
      // A new account has no second factor yet, so its first session is complete at once.
      sessionToken = await createSession(trx, userId, true, now);
      await recordAudit(
        trx,
        {
          actor: { userId, label: invite.email },
          action: "user.created",
          subjectType: "user",
          subjectId: userId,
          detail: { role: accountRole, via: "invite" },
        },
        now,
      );
    } else {
      if (!existing || existing.id !== input.userId || existing.disabled_at !== null)
        throw new AppError("invalid_state", {}, { email: "invite.otherAccount" });
      userId = existing.id;
    }
    if (!(await spendToken(trx, invite.id, now))) throw new AppError("token_invalid");
    const before = await setMembership(trx, { campaignId: campaign.id, userId, role }, now);
    await recordAudit(
      trx,
      {
        actor: { userId, label: invite.email },
        action: "team.invite_accepted",
        subjectType: "invite",
        subjectId: invite.id,
        campaignId: campaign.id,
        detail: { role, account: input.kind, previous_role: before ?? null },
      },
      now,
    );
    return { campaignSlug: campaign.slug, userId, ...(sessionToken ? { sessionToken } : {}) };
  });
}
