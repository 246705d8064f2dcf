import type { Kysely } from "kysely";
import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import type { Database } from "../store/schema.ts";
import { countSealedRecords, type SealedCounts } from "./count-sealed-records.ts";

/** What a campaign's coalition key page shows: which key it has and how much is sealed to it. */
export type CampaignKeyState =
  | { kind: "none"; sealed: SealedCounts }
  | { kind: "demo" | "real"; fingerprint: string; sealed: SealedCounts };

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
  if (campaign.public_key === null) return { kind: "none", sealed };
  return {
    kind: campaign.demo_key === 1 ? "demo" : "real",
    fingerprint: keyFingerprint(campaign.public_key),
    sealed,
  };
}
