import type { Kysely } from "kysely";
import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import type { Database } from "../store/schema.ts";
import { countSealedRecords, type SealedCounts } from "./count-sealed-records.ts";

/** A key a coordinator proposed, waiting for a second person to confirm its fingerprint. */
export type KeyProposal = { fingerprint: string; proposedBy: { id: number; name: string; email: string } };

/** What a campaign's coalition key page shows: which key it has, how much is sealed to it, what waits. */
export type CampaignKeyState =
  | { kind: "none"; sealed: SealedCounts; proposal: KeyProposal | undefined }
  | { kind: "demo" | "real"; fingerprint: string; sealed: SealedCounts; proposal: KeyProposal | undefined };

export async function getCampaignKeyState(
  db: Kysely<Database>,
  campaignId: number,
): Promise<CampaignKeyState> {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["public_key", "demo_key"])
    .where("id", "=", campaignId)
    .executeTakeFirstOrThrow();
  const sealed = await countSealedRecords(db, campaignId);
  const waiting = await db
    .selectFrom("campaign_key_proposals")
    .innerJoin("users", "users.id", "campaign_key_proposals.proposed_by")
    .select(["campaign_key_proposals.public_key", "users.id", "users.name", "users.email"])
    .where("campaign_key_proposals.campaign_id", "=", campaignId)
    .executeTakeFirst();
  const proposal = waiting && {
    fingerprint: keyFingerprint(waiting.public_key),
    proposedBy: { id: waiting.id, name: waiting.name, email: waiting.email },
  };
  if (campaign.public_key === null) return { kind: "none", sealed, proposal };
  return {
    kind: campaign.demo_key === 1 ? "demo" : "real",
    fingerprint: keyFingerprint(campaign.public_key),
    sealed,
    proposal,
  };
}
