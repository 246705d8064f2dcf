import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";

/** Withdraws a pending invitation of a campaign: its link stops working at once. Revoking twice changes nothing. */
export async function revokeInvite(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; campaignId: number; inviteId: number },
  now: Date,
): Promise<{ changed: boolean }> {
  authorise(input.actor, "team.manage", input.campaignId);
  const at = now.toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    const invite = await trx
      .selectFrom("one_time_tokens")
      .select(["id", "email", "role", "used_at", "expires_at"])
      .where("id", "=", input.inviteId)
      .where("purpose", "=", "invite")
      .where("campaign_id", "=", input.campaignId)
      .executeTakeFirst();
    if (!invite) throw new AppError("not_found");
    if (invite.used_at !== null || invite.expires_at <= at) return { changed: false };
    await trx.updateTable("one_time_tokens").set({ expires_at: at }).where("id", "=", invite.id).execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "team.invite_revoked",
        subjectType: "invite",
        subjectId: invite.id,
        campaignId: input.campaignId,
        detail: { email: invite.email, role: invite.role },
      },
      now,
    );
    return { changed: true };
  });
}
