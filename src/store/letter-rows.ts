import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import type { EditableLetter, PublisherLink } from "../domain/editable-letter.ts";
import type { TranslationContent } from "../domain/letter-content-hash.ts";
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
  /** ISO time after which the sign form closes, or null for none. */
  deadline: string | null;
  publisher: { name: string | null; url: string | null; links: PublisherLink[] };
  translations: TranslationContent[];
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
    deadline: draft.deadline,
    publisher_name: draft.publisher.name,
    publisher_url: draft.publisher.url,
    publisher_links: JSON.stringify(draft.publisher.links),
  };
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
    deadline: letter.deadline,
    publisher: { name: letter.publisher.name, url: letter.publisher.url, links: letter.publisher.links },
    translations: letter.translations,
  };
}
