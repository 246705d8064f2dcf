import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";

/**
 * Turns "everyone in this campaign must sign in with TOTP" on or off. While on, members without TOTP, and
 * sessions that did not give a code, are sent to set one up or give one before anything of the campaign
 * opens (web/session.ts requirePermission).
 */
export async function setCampaignTotp(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; campaignId: number; required: boolean },
  now: Date,
): Promise<{ changed: boolean }> {
  authorise(input.actor, "campaign.edit", input.campaignId);
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "require_totp"])
      .where("id", "=", input.campaignId)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    const wanted = input.required ? 1 : 0;
    if (campaign.require_totp === wanted) return { changed: false };
    await trx
      .updateTable("campaigns")
      .set({ require_totp: wanted, updated_at: now.toISOString() })
      .where("id", "=", campaign.id)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "campaign.require_totp",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        detail: { required: input.required },
      },
      now,
    );
    return { changed: true };
  });
}
