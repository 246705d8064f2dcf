import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { AppError } from "../domain/app-error.ts";
import { isPublicKey, keyRefusal } from "../domain/campaign-key.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { can } from "../policies/policy.ts";
import { countSealedRecords } from "../queries/count-sealed-records.ts";
import { recordAudit } from "../store/audit.ts";
import { campaignKeyRow, campaignLettersChanged, installCampaignKey } from "../store/campaign-key-rows.ts";
import type { CommandDeps } from "../store/deps.ts";

export type SetCampaignKeyInput = {
  campaignSlug: string;
  /** Base64 X25519 public key from `undersigned keygen` or the console's key maker. */
  publicKey: string;
  /** "cli" for `undersigned keygen --campaign`, run on the server; else a console user. */
  actor: Actor;
};

export type SetCampaignKeyResult = {
  campaignId: number;
  fingerprint: string;
  /** "set": the key is the campaign's now; "proposed": it waits for a second person to confirm it. */
  outcome: "set" | "proposed";
  replacedDemo: boolean;
};

/**
 * Gives a campaign its coalition key (domain/campaign-key.ts says when a key may be set at all). An owner,
 * or the command line, sets it at once. A coordinator only proposes it: the key takes effect when another
 * coordinator of the campaign, or an owner, confirms its fingerprint (confirm-campaign-key.ts), so no single
 * console account can make the campaign seal to a key only it holds. While a proposal waits, another is
 * refused until it is confirmed or withdrawn. Every step is audited with the key's fingerprint.
 */
export async function setCampaignKey(
  deps: Pick<CommandDeps, "store">,
  input: SetCampaignKeyInput,
  now: Date,
): Promise<SetCampaignKeyResult> {
  const publicKey = input.publicKey.trim();
  if (!isPublicKey(publicKey)) throw new AppError("validation", {}, { publicKey: "key.invalidPublicKey" });
  const fingerprint = keyFingerprint(publicKey);
  const result = await deps.store.db.transaction().execute(async (trx) => {
    const campaign = await campaignKeyRow(trx, input.campaignSlug);
    if (!campaign) throw new AppError("not_found");
    authorise(input.actor, "campaign.key.propose", campaign.id);
    const refusal = keyRefusal(
      { publicKey: campaign.public_key, demoKey: campaign.demo_key === 1 },
      campaign.public_key === null ? 0 : (await countSealedRecords(trx, campaign.id)).real,
    );
    if (refusal) throw new AppError("invalid_state", refusal.params, { publicKey: refusal.message });
    const replacedDemo = campaign.public_key !== null;
    const audit = {
      actor: auditActor(input.actor),
      subjectType: "campaign",
      subjectId: campaign.id,
      campaignId: campaign.id,
    };
    const atOnce = input.actor === "cli" || can(input.actor, "campaign.key.set", campaign.id);
    if (!atOnce) {
      if (campaign.proposal)
        throw new AppError("invalid_state", {}, { publicKey: "campaignKey.proposalWaiting" });
      await trx
        .insertInto("campaign_key_proposals")
        .values({
          campaign_id: campaign.id,
          public_key: publicKey,
          proposed_by: actorUserId(input.actor) as number,
          proposed_at: now.toISOString(),
        })
        .execute();
      await recordAudit(trx, { ...audit, action: "campaign.propose_key", detail: { fingerprint } }, now);
      return { campaignId: campaign.id, fingerprint, outcome: "proposed" as const, replacedDemo: false };
    }
    await installCampaignKey(trx, campaign, publicKey, now);
    await recordAudit(
      trx,
      {
        ...audit,
        action: "campaign.set_key",
        detail: {
          fingerprint,
          ...(replacedDemo ? { replaced_demo_key: keyFingerprint(campaign.public_key as string) } : {}),
          ...(campaign.proposal ? { dropped_proposal: keyFingerprint(campaign.proposal.public_key) } : {}),
        },
      },
      now,
    );
    return { campaignId: campaign.id, fingerprint, outcome: "set" as const, replacedDemo };
  });
  if (result.outcome === "set") await campaignLettersChanged(deps.store.db, result.campaignId);
  return result;
}
