import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { AppError } from "../domain/app-error.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { countSealedRecords } from "../queries/count-sealed-records.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";

export type SetCampaignKeyInput = {
  campaignSlug: string;
  /** Base64 X25519 public key from `undersigned keygen` or the console's key maker. */
  publicKey: string;
  /** "cli" for `undersigned keygen`; a console user needs campaign.edit in this campaign. */
  actor: Actor;
};

/**
 * Sets the public key a campaign's undisclosed identities and contacts are sealed to. A campaign keeps its
 * first real key: replacing it would leave every record sealed so far openable only with the old private
 * key, and a mistaken replacement would silently split the coalition's records across two keys. The one
 * exception is the example campaign's DEMO key (demo_key = 1, private half in DATA_DIR): it may be replaced
 * while nothing but the example's own endorsements (source "example") is sealed to it, so a coalition can
 * take the example over without real records ever being sealed to a key the server holds. The audit entry
 * names the key by a short fingerprint, which coordinators can compare with their key file.
 */
export async function setCampaignKey(
  deps: Pick<CommandDeps, "store">,
  input: SetCampaignKeyInput,
  now: Date,
): Promise<{ campaignId: number; fingerprint: string; replacedDemo: boolean }> {
  const publicKey = input.publicKey.trim();
  const bytes = Buffer.from(publicKey, "base64");
  if (bytes.length !== 32 || bytes.toString("base64") !== publicKey) {
    throw new AppError("validation", {}, { publicKey: "key.invalidPublicKey" });
  }
  const fingerprint = keyFingerprint(publicKey);
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "public_key", "demo_key"])
      .where("slug", "=", input.campaignSlug)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    authorise(input.actor, "campaign.edit", campaign.id);
    const replacedDemo = campaign.public_key !== null && campaign.demo_key === 1;
    if (campaign.public_key !== null && !replacedDemo) {
      throw new AppError("invalid_state", {}, { publicKey: "campaignKey.keepsKey" });
    }
    if (replacedDemo) {
      // Replacing the demo key must not strand anything real: only the example's own records may be sealed to it.
      const sealed = await countSealedRecords(trx, campaign.id);
      if (sealed.real > 0) {
        throw new AppError("invalid_state", { count: sealed.real }, { publicKey: "campaignKey.demoInUse" });
      }
    }
    const updated = await trx
      .updateTable("campaigns")
      .set({ public_key: publicKey, demo_key: 0, updated_at: now.toISOString() })
      .where("id", "=", campaign.id)
      .$if(campaign.public_key === null, (q) => q.where("public_key", "is", null))
      .$if(campaign.public_key !== null, (q) =>
        q.where("public_key", "=", campaign.public_key as string).where("demo_key", "=", 1),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError("conflict");
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "campaign.set_key",
        subjectType: "campaign",
        subjectId: campaign.id,
        campaignId: campaign.id,
        detail: replacedDemo
          ? { fingerprint, replaced_demo_key: keyFingerprint(campaign.public_key as string) }
          : { fingerprint },
      },
      now,
    );
    return { campaignId: campaign.id, fingerprint, replacedDemo };
  });
}
