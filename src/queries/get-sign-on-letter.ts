import { timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import { readableFingerprint } from "../crypto/key-fingerprint.ts";
import { privateSignOnTokenHash } from "../crypto/tokens.ts";
import { categoryLabel, parseLabelTranslations } from "../domain/label-translations.ts";
import type { OptionalSignField, Signers } from "../domain/letter-settings.ts";
import type { LetterState } from "../domain/letter-states.ts";
import { chooseTranslation } from "../domain/public-letters.ts";
import { requiredSignFields, SIGNING_PAUSED_SETTING } from "../domain/sign-on-rules.ts";
import type { Database } from "../store/schema.ts";
import { loadTranslations } from "./translations.ts";

export type SignOnLetter = {
  id: number;
  slug: string;
  state: LetterState;
  signers: Signers;
  categories: string[];
  /** Each category in the reader's language (domain/label-translations.ts). */
  categoryLabels: Record<string, string>;
  requiredFields: OptionalSignField[];
  moderation: boolean;
  allowUndisclosed: boolean;
  deadline: string | null;
  campaignId: number;
  publicKey: string | null;
  /** publicKey's fingerprint in readable groups, shown on the form for signers to compare. */
  keyFingerprint: string | null;
  /** The example campaign's key sits on the server: the form warns against real details. */
  demoKey: boolean;
  versionId: number;
  versionNumber: number;
  contentHash: string;
  /** The translation shown, in the reader's language when the letter has it. */
  language: string;
  title: string;
  subject: string;
  /** The operators' switch that pauses every sign form (read with the letter: one query fewer per form). */
  signingPaused: boolean;
  /** Markdown of the letter body, shown on the form while the letter is still private (collecting). */
  body: string;
};

/**
 * The letter behind a sign form, or undefined when there is none this visitor may sign: unknown slug, no
 * current version, or a draft or a letter still collecting privately reached without its private link. Undefined
 * always means 404, so a wrong key and a missing letter look the same from outside.
 */
export async function getSignOnLetter(
  db: Kysely<Database>,
  input: { slug: string; language: string; privateKey?: string | undefined },
): Promise<SignOnLetter | undefined> {
  const row = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
    .select([
      "letters.id",
      "letters.slug",
      "letters.state",
      "letters.signers",
      "letters.categories",
      "letters.label_translations",
      "letters.required_fields",
      "letters.moderation",
      "letters.allow_undisclosed",
      "letters.deadline",
      "letters.private_token_hash",
      "letters.default_language",
      "letters.campaign_id",
      "campaigns.public_key",
      "campaigns.demo_key",
      "letter_versions.id as version_id",
      "letter_versions.number as version_number",
      "letter_versions.content_hash",
      (eb) =>
        eb
          .selectFrom("settings")
          .select("value")
          .where("key", "=", SIGNING_PAUSED_SETTING)
          .as("signing_paused"),
    ])
    .where("letters.slug", "=", input.slug)
    .executeTakeFirst();
  if (!row) return undefined;
  // A letter not public yet opens only with its private link. A draft's link (made ahead of opening) then
  // finds the letter, and the form says sign-on has not opened rather than that the page does not exist.
  if (
    (row.state === "collecting" || row.state === "draft") &&
    !privateKeyMatches(row.private_token_hash, input.privateKey)
  )
    return undefined;

  const translations = (await loadTranslations(db, [row.version_id])).get(row.version_id) ?? [];
  const shown = chooseTranslation(translations, input.language, row.default_language);
  const categories = parseStrings(row.categories);
  if (!shown) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    state: row.state,
    signers: row.signers,
    categories,
    categoryLabels: Object.fromEntries(
      categories.map((c) => [
        c,
        categoryLabel(parseLabelTranslations(row.label_translations), input.language, c),
      ]),
    ),
    requiredFields: requiredSignFields(row.required_fields),
    moderation: row.moderation === 1,
    allowUndisclosed: row.allow_undisclosed === 1,
    deadline: row.deadline,
    campaignId: row.campaign_id,
    publicKey: row.public_key,
    demoKey: row.demo_key === 1,
    keyFingerprint: row.public_key ? readableFingerprint(row.public_key) : null,
    versionId: row.version_id,
    versionNumber: row.version_number,
    contentHash: row.content_hash,
    language: shown.language,
    title: shown.title,
    subject: shown.subject,
    signingPaused: row.signing_paused === "1",
    body: shown.body,
  };
}

function privateKeyMatches(storedHash: string | null, key: string | undefined): boolean {
  if (!storedHash || !key || key.length > 200) return false;
  const given = Buffer.from(privateSignOnTokenHash(key));
  const expected = Buffer.from(storedHash);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseStrings(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
