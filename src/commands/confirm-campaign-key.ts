import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { AppError } from "../domain/app-error.ts";
import { keyRefusal } from "../domain/campaign-key.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { countSealedRecords } from "../queries/count-sealed-records.ts";
import { recordAudit } from "../store/audit.ts";
import { campaignKeyRow, campaignLettersChanged, installCampaignKey } from "../store/campaign-key-rows.ts";
import type { CommandDeps } from "../store/deps.ts";

export type ConfirmCampaignKeyInput = {
  campaignSlug: string;
  /** The fingerprint of the proposal the confirmer saw: a proposal replaced meanwhile is not confirmed. */
  fingerprint: string;
  actor: Actor;
};

/**
 * The second person's part in giving a campaign its key: another coordinator of the campaign (or an owner)
 * confirms the fingerprint of the key a coordinator proposed, and the key takes effect. The proposer cannot
 * confirm their own proposal. The rules on when a key may be set are checked again: the campaign may have
 * got a key, or real endorsements sealed to its DEMO key, since the proposal.
 */
export async function confirmCampaignKey(
  deps: Pick<CommandDeps, "store">,
  input: ConfirmCampaignKeyInput,
  now: Date,
): Promise<{ campaignId: number; fingerprint: string }> {
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const campaign = await campaignKeyRow(trx, input.campaignSlug);
    if (!campaign) throw new AppError("not_found");
    authorise(input.actor, "campaign.key.confirm", campaign.id);
    const proposal = campaign.proposal;
    if (!proposal || keyFingerprint(proposal.public_key) !== input.fingerprint)
      throw new AppError("invalid_state", {}, { confirm: "campaignKey.proposalGone" });
    if (actorUserId(input.actor) === proposal.proposed_by)
      throw new AppError("forbidden", {}, { confirm: "campaignKey.notTheProposer" });
    const refusal = keyRefusal(
      { publicKey: campaign.public_key, demoKey: campaign.demo_key === 1 },
      campaign.public_key === null ? 0 : (await countSealedRecords(trx, campaign.id)).real,
    );
    if (refusal) throw new AppError("invalid_state", refusal.params, { confirm: refusal.message });
    await installCampaignKey(trx, campaign, proposal.public_key, now);
    const proposer = await trx
      .selectFrom("users")
      .select("email")
      .where("id", "=", proposal.proposed_by)
      .executeTakeFirst();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "campaign.set_key",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        detail: {
          fingerprint: input.fingerprint,
          proposed_by: proposer?.email ?? null,
          ...(campaign.public_key !== null ? { replaced_demo_key: keyFingerprint(campaign.public_key) } : {}),
        },
      },
      now,
    );
    return { campaignId: campaign.id, fingerprint: input.fingerprint };
  });
  await campaignLettersChanged(deps.store.db, result.campaignId);
  return result;
}
