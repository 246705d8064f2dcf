import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import { letterChanged } from "./letter-changes.ts";
import type { Database } from "./schema.ts";

/** A campaign's key as a command reads it inside its transaction, with the proposal waiting, if any. */
export type CampaignKeyRow = {
  id: number;
  public_key: string | null;
  demo_key: number;
  proposal: { public_key: string; proposed_by: number } | undefined;
};

export async function campaignKeyRow(
  db: Kysely<Database>,
  slug: string,
): Promise<CampaignKeyRow | undefined> {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "public_key", "demo_key"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!campaign) return undefined;
  const proposal = await db
    .selectFrom("campaign_key_proposals")
    .select(["public_key", "proposed_by"])
    .where("campaign_id", "=", campaign.id)
    .executeTakeFirst();
  return { ...campaign, proposal };
}

/**
 * Gives the campaign its key, only if the key is still the one the command read (two requests racing to
 * set a key: the second is refused), and drops any proposal waiting.
 */
export async function installCampaignKey(
  db: Kysely<Database>,
  campaign: CampaignKeyRow,
  publicKey: string,
  now: Date,
): Promise<void> {
  const updated = await db
    .updateTable("campaigns")
    .set({ public_key: publicKey, demo_key: 0, updated_at: now.toISOString() })
    .where("id", "=", campaign.id)
    .$if(campaign.public_key === null, (q) => q.where("public_key", "is", null))
    .$if(campaign.public_key !== null, (q) =>
      q.where("public_key", "=", campaign.public_key as string).where("demo_key", "=", 1),
    )
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError("conflict");
  await db.deleteFrom("campaign_key_proposals").where("campaign_id", "=", campaign.id).execute();
}

/**
 * Every letter of the campaign shows the key's fingerprint (sign form, letter page, PDF): after a new key
 * commits, their cached pages are stale. (Cached PDFs are named by what they show, the fingerprint included,
 * so a new key prints new ones.)
 */
export async function campaignLettersChanged(db: Kysely<Database>, campaignId: number): Promise<void> {
  const letters = await db.selectFrom("letters").select("id").where("campaign_id", "=", campaignId).execute();
  for (const letter of letters) letterChanged(letter.id);
}
