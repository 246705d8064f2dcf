import type { Kysely } from "kysely";
import { generateKeyPair, type KeyPair } from "../src/crypto/seal.ts";
import type { Signers } from "../src/domain/letter-settings.ts";
import type { LetterState } from "../src/domain/letter-states.ts";
import type { Database } from "../src/store/schema.ts";
import { insertCampaign, insertLetter } from "./letter-factory.ts";

/**
 * A campaign with a coalition key and a letter taking endorsements, for sign-on tests. The key pair is
 * returned so tests can open what was sealed, as a coordinator would.
 */
export async function insertSignableLetter(
  db: Kysely<Database>,
  options: {
    state?: LetterState;
    moderation?: boolean;
    deadline?: string | null;
    signers?: Signers;
    categories?: string[];
    requiredFields?: string[];
    privateTokenHash?: string | null;
    /** The coalition's key pair, e.g. one opened from a key file made with coalition-key.ts; fresh otherwise. */
    keyPair?: KeyPair;
  } = {},
): Promise<{ id: number; slug: string; versionId: number; campaignId: number; keyPair: KeyPair }> {
  const keyPair = options.keyPair ?? (await generateKeyPair());
  const campaign = await insertCampaign(db);
  await db
    .updateTable("campaigns")
    .set({ public_key: keyPair.publicKey })
    .where("id", "=", campaign.id)
    .execute();
  const letter = await insertLetter(db, {
    campaignId: campaign.id,
    state: options.state ?? "published",
    signers: options.signers ?? "organisations",
    categories: options.categories ?? ["Myanmar", "regional", "international"],
    translations: [
      { language: "en", title: "Stop the forced returns" },
      { language: "my", title: "အတင်းအကျပ် ပြန်ပို့မှုများကို ရပ်တန့်ပါ" },
    ],
  });
  await db
    .updateTable("letters")
    .set({
      moderation: options.moderation === false ? 0 : 1,
      deadline: options.deadline ?? null,
      required_fields: JSON.stringify(options.requiredFields ?? []),
      private_token_hash: options.privateTokenHash ?? null,
    })
    .where("id", "=", letter.id)
    .execute();
  return { ...letter, campaignId: campaign.id, keyPair };
}
