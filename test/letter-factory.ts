import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { generateKeyPair, type KeyPair } from "../src/crypto/seal.ts";
import { countedFlag } from "../src/domain/counts.ts";
import type { Signers } from "../src/domain/letter-settings.ts";
import type { LetterState } from "../src/domain/letter-states.ts";
import type { SignatureKind, SignatureState, Visibility } from "../src/domain/signature-states.ts";
import { commitment } from "../src/domain/tlog/entries.ts";
import type { Database } from "../src/store/schema.ts";

/*
 * Minimal rows for tests that need a campaign, a letter with a current version and translations, and
 * signatures. Each call makes unique slugs, so tests in one file can share a store without colliding.
 */

const at = "2026-01-15T10:00:00.000Z";
let sequence = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

export async function insertCampaign(
  db: Kysely<Database>,
  values: { slug?: string; name?: string; demoKey?: boolean } = {},
): Promise<{ id: number; slug: string }> {
  const slug = values.slug ?? unique("campaign");
  const row = await db
    .insertInto("campaigns")
    .values({
      slug,
      name: values.name ?? `Campaign ${slug}`,
      description: "",
      public_key: null,
      demo_key: values.demoKey ? 1 : 0,
      require_totp: 0,
      created_at: at,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, slug };
}

/** A campaign as the example makes it: sealed to a DEMO key whose private half the test holds. */
export async function insertDemoKeyCampaign(
  db: Kysely<Database>,
): Promise<{ id: number; slug: string; demo: KeyPair }> {
  const campaign = await insertCampaign(db, { demoKey: true });
  const demo = await generateKeyPair();
  await db
    .updateTable("campaigns")
    .set({ public_key: demo.publicKey })
    .where("id", "=", campaign.id)
    .execute();
  return { ...campaign, demo };
}

/** The key columns of a campaign, to check what a key change stored. */
export const campaignKeyOf = (db: Kysely<Database>, id: number) =>
  db
    .selectFrom("campaigns")
    .select(["public_key", "demo_key"])
    .where("id", "=", id)
    .executeTakeFirstOrThrow();

export type TestTranslation = {
  language: string;
  title: string;
  subject?: string;
  addressees?: { heading: string; names: string[] }[];
  salutation?: string;
  body?: string;
  closing?: string;
  publisherAbout?: string;
};

export async function insertLetter(
  db: Kysely<Database>,
  values: {
    campaignId: number;
    slug?: string;
    state?: LetterState;
    position?: number;
    signers?: Signers;
    defaultLanguage?: string;
    categories?: string[];
    letterDate?: string | null;
    publicationDate?: string | null;
    translations?: TestTranslation[];
  },
): Promise<{ id: number; slug: string; versionId: number }> {
  const slug = values.slug ?? unique("letter");
  const state = values.state ?? "published";
  const letter = await db
    .insertInto("letters")
    .values({
      campaign_id: values.campaignId,
      slug,
      position: values.position ?? 1,
      state,
      default_language: values.defaultLanguage ?? "en",
      signers: values.signers ?? "organisations",
      categories: JSON.stringify(values.categories ?? []),
      required_fields: "[]",
      moderation: 1,
      allow_undisclosed: 1,
      publication_date: values.publicationDate === undefined ? "2026-01-20" : values.publicationDate,
      publisher_links: "[]",
      created_at: at,
      updated_at: at,
      published_at: state === "published" || state === "closed" ? at : null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto("letter_versions")
    .values({
      letter_id: letter.id,
      number: 1,
      content_hash: randomBytes(32).toString("hex"),
      letter_date: values.letterDate === undefined ? "2026-01-10" : values.letterDate,
      created_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const t of values.translations ?? [{ language: "en", title: `Letter ${slug}` }]) {
    await db
      .insertInto("letter_translations")
      .values({
        version_id: version.id,
        language: t.language,
        title: t.title,
        subject: t.subject ?? "",
        addressees: JSON.stringify(t.addressees ?? []),
        salutation: t.salutation ?? "",
        body: t.body ?? "",
        closing: t.closing ?? "",
        publisher_about: t.publisherAbout ?? "",
      })
      .execute();
  }
  await db
    .updateTable("letters")
    .set({ current_version_id: version.id })
    .where("id", "=", letter.id)
    .execute();
  return { id: letter.id, slug, versionId: version.id };
}

/** A published letter in a campaign of its own, written in the translations given. */
export async function insertLetterInNewCampaign(db: Kysely<Database>, translations: TestTranslation[]) {
  const campaign = await insertCampaign(db);
  const letter = await insertLetter(db, { campaignId: campaign.id, translations });
  return { campaign, letter };
}

export type TestSignature = {
  kind?: SignatureKind;
  visibility?: Visibility;
  state?: SignatureState;
  displayName?: string | null;
  displayNameAlt?: string | null;
  category?: string | null;
  country?: string | null;
  website?: string | null;
};

/**
 * Inserts signatures in a few statements (chunked: SQLite caps the parameters of one statement); listed
 * ones get a name, undisclosed ones never do.
 */
export async function insertSignatures(
  db: Kysely<Database>,
  letter: { id: number; versionId: number },
  signatures: TestSignature[],
): Promise<void> {
  const rows = signatures.map((s, i) => {
    const visibility = s.visibility ?? "listed";
    const listed = visibility === "listed";
    return {
      letter_id: letter.id,
      version_id: letter.versionId,
      kind: s.kind ?? "organisation",
      visibility,
      category: s.category ?? null,
      country: s.country ?? null,
      display_name: listed ? (s.displayName ?? `Test Organisation ${i + 1}`) : null,
      display_name_alt: listed ? (s.displayNameAlt ?? null) : null,
      website: listed ? (s.website ?? null) : null,
      state: s.state ?? "approved",
      counted: countedFlag(s.state ?? "approved"),
      source: "coordinator" as const,
      listed_salt: listed ? randomBytes(32).toString("base64url") : null,
      // Rows made here have no sealed record: a commitment over nothing but a salt stands in for one.
      undisclosed_commit: listed ? null : commitment(randomBytes(32), new Uint8Array()),
      created_at: at,
      updated_at: at,
    };
  });
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto("signatures")
      .values(rows.slice(start, start + 1000))
      .execute();
  }
}
