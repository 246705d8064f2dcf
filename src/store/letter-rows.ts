import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import type { EditableLetter, PublisherLink } from "../domain/editable-letter.ts";
import type { LabelTranslations } from "../domain/label-translations.ts";
import {
  letterContentHash,
  type TranslationContent,
  type VersionContent,
} from "../domain/letter-content-hash.ts";
import type { OptionalSignField, Signers } from "../domain/letter-settings.ts";
import type { Database } from "./schema.ts";

/*
 * What create-letter and save-letter both write: a letter's settings as columns and a version's
 * translations as rows. Kept here so the two commands cannot drift apart in how they store a letter.
 */

/** A letter as a coordinator (or a letter file) describes it: every setting and every translation. */
export type LetterDraft = {
  slug: string;
  campaignId: number;
  defaultLanguage: string;
  letterDate: string | null;
  publicationDate: string | null;
  signers: Signers;
  categories: string[];
  requiredFields: OptionalSignField[];
  moderation: boolean;
  allowUndisclosed: boolean;
  /** Hours between count releases; left as it is (24 for a new letter) when a draft does not say. */
  releaseEveryHours?: number;
  /** ISO time after which the sign form closes, or null for none. */
  deadline: string | null;
  publisher: { name: string | null; url: string | null; links: PublisherLink[] };
  translations: TranslationContent[];
  /** Count statement templates by language; left as they are when absent (the editor saves them apart). */
  countStatements?: Record<string, string> | undefined;
  /** Translated labels by language; left as they are when absent, like the count statements. */
  labelTranslations?: LabelTranslations | undefined;
};

/** Refuses drafts the storage cannot represent faithfully; the forms catch these earlier, files too. */
export function checkDraft(draft: LetterDraft): void {
  const languages = draft.translations.map((t) => t.language);
  if (!languages.includes(draft.defaultLanguage))
    throw new AppError("validation", {}, { defaultLanguage: "letters.defaultLanguageMissing" });
  if (new Set(languages).size !== languages.length)
    throw new AppError("validation", {}, { language: "letters.languageTwice" });
}

/** The columns of `letters` that hold the draft's settings. */
export function settingsColumns(draft: LetterDraft) {
  return {
    slug: draft.slug,
    campaign_id: draft.campaignId,
    default_language: draft.defaultLanguage,
    publication_date: draft.publicationDate,
    signers: draft.signers,
    categories: JSON.stringify(draft.categories),
    required_fields: JSON.stringify(draft.requiredFields),
    moderation: draft.moderation ? 1 : 0,
    allow_undisclosed: draft.allowUndisclosed ? 1 : 0,
    ...(draft.releaseEveryHours === undefined ? {} : { release_every_hours: draft.releaseEveryHours }),
    deadline: draft.deadline,
    publisher_name: draft.publisher.name,
    publisher_url: draft.publisher.url,
    publisher_links: JSON.stringify(draft.publisher.links),
    ...(draft.countStatements ? { count_statements: JSON.stringify(draft.countStatements) } : {}),
    ...(draft.labelTranslations ? { label_translations: JSON.stringify(draft.labelTranslations) } : {}),
  };
}

/**
 * A new version of a letter, numbered `number`, with its translations; the content hash is the one
 * signatories endorse (domain/letter-content-hash.ts). Returns the version's id.
 */
export async function insertVersion(
  db: Kysely<Database>,
  letterId: number,
  number: number,
  content: VersionContent,
  created: { at: string; by: number | null },
): Promise<number> {
  const version = await db
    .insertInto("letter_versions")
    .values({
      letter_id: letterId,
      number,
      content_hash: letterContentHash(content),
      letter_date: content.letterDate,
      created_at: created.at,
      created_by: created.by,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await insertTranslations(db, version.id, content.translations);
  return version.id;
}

export async function insertTranslations(
  db: Kysely<Database>,
  versionId: number,
  translations: TranslationContent[],
): Promise<void> {
  await db
    .insertInto("letter_translations")
    .values(
      translations.map((t) => ({
        version_id: versionId,
        language: t.language,
        title: t.title,
        subject: t.subject,
        addressees: JSON.stringify(t.addressees),
        salutation: t.salutation,
        body: t.body,
        closing: t.closing,
        publisher_about: t.publisherAbout,
      })),
    )
    .execute();
}

export async function slugTaken(
  db: Kysely<Database>,
  slug: string,
  exceptLetterId?: number,
): Promise<boolean> {
  const row = await db
    .selectFrom("letters")
    .select("id")
    .where("slug", "=", slug)
    .$if(exceptLetterId !== undefined, (q) => q.where("id", "!=", exceptLetterId!))
    .executeTakeFirst();
  return row !== undefined;
}

export async function campaignForLetter(
  db: Kysely<Database>,
  campaignId: number,
): Promise<{ id: number; nextPosition: number }> {
  const campaign = await db
    .selectFrom("campaigns")
    .select(["id", "demo_key"])
    .where("id", "=", campaignId)
    .executeTakeFirst();
  if (!campaign) throw new AppError("validation", {}, { campaign: "letters.campaignUnknown" });
  // The DEMO key's private half sits in DATA_DIR: a letter arriving in its campaign could take real
  // endorsements sealed to a key the server holds. Only the example letter, written in place, lives there.
  if (campaign.demo_key === 1) throw new AppError("validation", {}, { campaign: "letters.demoCampaign" });
  const last = await db
    .selectFrom("letters")
    .select((eb) => eb.fn.max("position").as("position"))
    .where("campaign_id", "=", campaignId)
    .executeTakeFirst();
  return { id: campaign.id, nextPosition: Number(last?.position ?? 0) + 1 };
}

/** The draft that saving `letter` unchanged would write: the starting point for editing one part of it. */
export function draftFromLetter(letter: EditableLetter): LetterDraft {
  return {
    slug: letter.slug,
    campaignId: letter.campaign.id,
    defaultLanguage: letter.defaultLanguage,
    letterDate: letter.letterDate,
    publicationDate: letter.publicationDate,
    signers: letter.signers,
    categories: letter.categories,
    requiredFields: letter.requiredFields,
    moderation: letter.moderation,
    allowUndisclosed: letter.allowUndisclosed,
    releaseEveryHours: letter.releaseEveryHours,
    deadline: letter.deadline,
    publisher: { name: letter.publisher.name, url: letter.publisher.url, links: letter.publisher.links },
    translations: letter.translations,
  };
}
