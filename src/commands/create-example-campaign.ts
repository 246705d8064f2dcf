import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { loadOrCreateDemoKey } from "../crypto/demo-key.ts";
import { seal } from "../crypto/seal.ts";
import { sealIdentity } from "../crypto/sealed-identity.ts";
import { countedFlag } from "../domain/counts.ts";
import {
  EXAMPLE_CAMPAIGN,
  EXAMPLE_LETTER,
  EXAMPLE_LISTED_ENDORSEMENTS,
  EXAMPLE_TRANSLATIONS,
  EXAMPLE_UNDISCLOSED_ENDORSEMENTS,
  type ExampleEndorsement,
} from "../domain/example-letter.ts";
import type { SignatureState, Visibility } from "../domain/signature-states.ts";
import { SALT_BYTES } from "../domain/tlog/entries.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { insertVersion } from "../store/letter-rows.ts";
import type { Database } from "../store/schema.ts";

export type CreateExampleCampaignResult =
  | { created: true; campaignSlug: string; letterSlug: string; keyFile: string }
  | { created: false };

/**
 * On a first start with an empty database, creates the example campaign with one published letter and its
 * endorsements, so a newcomer has something real-looking to open. Does nothing once any campaign exists, so
 * it never mixes with an operator's own campaigns. Everything is written in one transaction; the only thing
 * outside it is the demo key file, which a repeated run reuses. It takes no input: the content is fixed in
 * example-letter-content.ts.
 */
export async function createExampleCampaign(
  deps: Pick<CommandDeps, "store" | "config">,
  now: Date,
): Promise<CreateExampleCampaignResult> {
  const { db } = deps.store;
  if (await anyCampaignExists(db)) return { created: false };

  const { file: keyFile, keyPair } = await loadOrCreateDemoKey(deps.config.dataDir, now);
  // Sealing is CPU work; doing it before the transaction keeps the transaction short.
  const endorsements = await Promise.all(
    [
      ...EXAMPLE_LISTED_ENDORSEMENTS.map((e) => ({ e, visibility: "listed" as const })),
      ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.map((e) => ({ e, visibility: "undisclosed" as const })),
    ].map(async ({ e, visibility }) => ({
      e,
      visibility,
      sealedContact: await seal(JSON.stringify({ email: e.email }), keyPair.publicKey),
      identity:
        visibility === "undisclosed"
          ? await sealIdentity({ name: e.name, category: e.category, country: e.country }, keyPair.publicKey)
          : null,
    })),
  );

  const at = now.toISOString();
  try {
    return await db.transaction().execute(async (trx) => {
      // Checked again inside the transaction: another process may have created it since.
      if (await anyCampaignExists(trx)) return { created: false } as const;

      const campaign = await trx
        .insertInto("campaigns")
        .values({
          slug: EXAMPLE_CAMPAIGN.slug,
          name: EXAMPLE_CAMPAIGN.name,
          description: EXAMPLE_CAMPAIGN.description,
          public_key: keyPair.publicKey,
          demo_key: 1,
          require_totp: 0,
          created_at: at,
          updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const letter = await trx
        .insertInto("letters")
        .values({
          campaign_id: campaign.id,
          slug: EXAMPLE_LETTER.slug,
          position: 1,
          state: "published",
          default_language: EXAMPLE_LETTER.defaultLanguage,
          signers: EXAMPLE_LETTER.signers,
          categories: JSON.stringify(EXAMPLE_LETTER.categories),
          required_fields: "[]",
          moderation: 1,
          allow_undisclosed: 1,
          publication_date: EXAMPLE_LETTER.publicationDate,
          publisher_name: EXAMPLE_LETTER.publisher.name,
          publisher_url: EXAMPLE_LETTER.publisher.url,
          publisher_links: JSON.stringify(EXAMPLE_LETTER.publisher.links),
          created_at: at,
          updated_at: at,
          published_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();

      const content = { letterDate: EXAMPLE_LETTER.letterDate, translations: [...EXAMPLE_TRANSLATIONS] };
      const versionId = await insertVersion(trx, letter.id, 1, content, { at, by: null });

      await trx
        .updateTable("letters")
        .set({ current_version_id: versionId })
        .where("id", "=", letter.id)
        .execute();

      await trx
        .insertInto("signatures")
        .values(
          endorsements.map(({ e, visibility, sealedContact, identity }) => ({
            letter_id: letter.id,
            version_id: versionId,
            kind: "organisation" as const,
            visibility,
            ...publicFields(e, visibility),
            sealed_identity: identity?.sealed ?? null,
            sealed_contact: sealedContact,
            state: e.state,
            counted: countedFlag(e.state),
            source: "example" as const,
            listed_salt: identity ? null : randomBytes(SALT_BYTES).toString("base64url"),
            undisclosed_commit: identity?.commit ?? null,
            reject_reason: e.state === "rejected" ? "Duplicate of another endorsement (example)" : null,
            ...stateTimes(e.state, at),
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();

      await recordAudit(
        trx,
        {
          actor: "system",
          action: "campaign.create_example",
          subjectType: "campaign",
          subjectId: campaign.id,
          campaignId: campaign.id,
          letterId: letter.id,
          detail: {
            letter: EXAMPLE_LETTER.slug,
            endorsements: endorsements.length,
            demo_key: true,
          },
        },
        now,
      );
      return {
        created: true,
        campaignSlug: EXAMPLE_CAMPAIGN.slug,
        letterSlug: EXAMPLE_LETTER.slug,
        keyFile,
      } as const;
    });
  } catch (error) {
    // Two processes starting on one PostgreSQL both saw an empty database; the loser hits the unique slug.
    if (await anyCampaignExists(db)) return { created: false };
    throw error;
  }
}

async function anyCampaignExists(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await db.selectFrom("campaigns").select("id").limit(1).executeTakeFirst());
}

/** What may be stored in the clear: the public name and facts of a listed endorsement, nothing of an undisclosed one. */
function publicFields(e: ExampleEndorsement, visibility: Visibility) {
  if (visibility === "undisclosed") {
    return {
      display_name: null,
      display_name_alt: null,
      website: null,
      category: null,
      country: null,
      match_key: null,
    };
  }
  return {
    display_name: e.name,
    display_name_alt: e.nameAlt ?? null,
    website: e.website ?? null,
    category: e.category,
    country: e.country,
    // Duplicate detection keys come from the names module of the sign-on work; the example needs none.
    match_key: null,
  };
}

/** Timestamps that match each state's history (a withdrawn endorsement had been approved before). */
function stateTimes(state: SignatureState, at: string) {
  return {
    confirmed_at: state === "unconfirmed" ? null : at,
    approved_at: state === "approved" || state === "withdrawn" ? at : null,
    rejected_at: state === "rejected" ? at : null,
    withdrawn_at: state === "withdrawn" ? at : null,
    merged_at: null,
  };
}
