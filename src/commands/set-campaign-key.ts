import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "./deps.ts";

export type SetCampaignKeyInput = {
  campaignSlug: string;
  /** Base64 X25519 public key from `undersigned keygen`. */
  publicKey: string;
  actor: "cli" | { userId: number; label: string };
};

/**
 * Sets the public key a campaign's undisclosed identities and contacts are sealed to. A campaign keeps its
 * first key: replacing it would leave every record sealed so far openable only with the old private key,
 * and a mistaken replacement would silently split the coalition's records across two keys. The audit entry
 * names the key by a short fingerprint, which coordinators can compare with their key file.
 */
export async function setCampaignKey(
  deps: Pick<CommandDeps, "store">,
  input: SetCampaignKeyInput,
  now: Date,
): Promise<{ campaignId: number; fingerprint: string }> {
  const bytes = Buffer.from(input.publicKey, "base64");
  if (bytes.length !== 32 || bytes.toString("base64") !== input.publicKey) {
    throw new AppError("validation", {}, { publicKey: "key.invalidPublicKey" });
  }
  const fingerprint = keyFingerprint(input.publicKey);
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "public_key"])
      .where("slug", "=", input.campaignSlug)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    const updated = await trx
      .updateTable("campaigns")
      .set({ public_key: input.publicKey, demo_key: 0, updated_at: now.toISOString() })
      .where("id", "=", campaign.id)
      .where("public_key", "is", null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError("invalid_state");
    await recordAudit(
      trx,
      {
        actor: input.actor,
        action: "campaign.set_key",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        detail: { fingerprint },
      },
      now,
    );
    return { campaignId: campaign.id, fingerprint };
  });
}

/** A short, comparable name for a public key (first 16 hex digits of its SHA-256). */
export function keyFingerprint(publicKey: string): string {
  return sha256(publicKey).slice(0, 16);
}
