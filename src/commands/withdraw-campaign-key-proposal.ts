import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import { campaignKeyRow } from "../store/campaign-key-rows.ts";
import type { CommandDeps } from "../store/deps.ts";

export type WithdrawCampaignKeyProposalInput = {
  campaignSlug: string;
  /** The fingerprint of the proposal being withdrawn, as the page showed it. */
  fingerprint: string;
  actor: Actor;
};

/**
 * Drops a proposed key before it takes effect: the proposer changing their mind, or another coordinator
 * who finds that its fingerprint is not the coalition's. Audited with the fingerprint.
 */
export async function withdrawCampaignKeyProposal(
  deps: Pick<CommandDeps, "store">,
  input: WithdrawCampaignKeyProposalInput,
  now: Date,
): Promise<void> {
  await deps.store.db.transaction().execute(async (trx) => {
    const campaign = await campaignKeyRow(trx, input.campaignSlug);
    if (!campaign) throw new AppError("not_found");
    authorise(input.actor, "campaign.key.propose", campaign.id);
    if (!campaign.proposal || keyFingerprint(campaign.proposal.public_key) !== input.fingerprint)
      throw new AppError("invalid_state", {}, { confirm: "campaignKey.proposalGone" });
    await trx.deleteFrom("campaign_key_proposals").where("campaign_id", "=", campaign.id).execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "campaign.withdraw_key_proposal",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        detail: { fingerprint: input.fingerprint },
      },
      now,
    );
  });
}
