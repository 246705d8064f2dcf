import type { Kysely } from "kysely";
import { parseAddressees } from "../domain/addressee-group-key.ts";
import type { EditableLetter, PublisherLink } from "../domain/editable-letter.ts";
import { parseLabelTranslations } from "../domain/label-translations.ts";
import type { TranslationContent } from "../domain/letter-content-hash.ts";
import { OPTIONAL_SIGN_FIELDS, type OptionalSignField } from "../domain/letter-settings.ts";
import { uploadUrl } from "../domain/uploads.ts";
import type { Database } from "../store/schema.ts";

/** The letter as the editor, the letter-file export and the save command see it; any state. */
export async function getLetterForEditing(
  db: Kysely<Database>,
  letterId: number,
): Promise<EditableLetter | undefined> {
  const row = await db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .innerJoin("letter_versions", "letter_versions.id", "letters.current_version_id")
    .leftJoin("uploads", "uploads.id", "letters.publisher_logo_upload_id")
    .select([
      "letters.id",
      "letters.slug",
      "letters.state",
      "letters.default_language",
      "letters.publication_date",
      "letters.signers",
      "letters.categories",
      "letters.count_statements",
      "letters.label_translations",
      "letters.required_fields",
      "letters.moderation",
      "letters.allow_undisclosed",
      "letters.release_every_hours",
      "letters.deadline",
      "letters.private_token_hash",
      "letters.publisher_name",
      "letters.publisher_url",
      "letters.publisher_links",
      "letters.updated_at",
      "letters.published_at",
      "campaigns.id as campaign_id",
      "campaigns.slug as campaign_slug",
      "campaigns.name as campaign_name",
      "campaigns.public_key",
      "letter_versions.id as version_id",
      "letter_versions.number as version_number",
      "letter_versions.created_at as version_created_at",
      "letter_versions.content_hash",
      "letter_versions.letter_date",
      "uploads.sha256 as logo_sha256",
      "uploads.media_type as logo_media_type",
    ])
    .where("letters.id", "=", letterId)
    .executeTakeFirst();
  if (!row) return undefined;
  const [translations, signed] = await Promise.all([
    loadVersionContent(db, row.version_id, row.default_language),
    db
      .selectFrom("signatures")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("version_id", "=", row.version_id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    id: row.id,
    slug: row.slug,
    state: row.state,
    campaign: {
      id: row.campaign_id,
      slug: row.campaign_slug,
      name: row.campaign_name,
      hasKey: row.public_key !== null,
    },
    defaultLanguage: row.default_language,
    letterDate: row.letter_date,
    publicationDate: row.publication_date,
    signers: row.signers,
    categories: stringArray(row.categories),
    countStatements: stringRecord(row.count_statements),
    labelTranslations: parseLabelTranslations(row.label_translations),
    requiredFields: stringArray(row.required_fields).filter((f): f is OptionalSignField =>
      (OPTIONAL_SIGN_FIELDS as readonly string[]).includes(f),
    ),
    moderation: row.moderation === 1,
    allowUndisclosed: row.allow_undisclosed === 1,
    releaseEveryHours: row.release_every_hours,
    deadline: row.deadline,
    hasPrivateLink: row.private_token_hash !== null,
    publisher: {
      name: row.publisher_name,
      url: row.publisher_url,
      links: publisherLinks(row.publisher_links),
      logoUrl:
        row.logo_sha256 && row.logo_media_type ? uploadUrl(row.logo_sha256, row.logo_media_type) : null,
    },
    translations,
    version: {
      id: row.version_id,
      number: row.version_number,
      createdAt: row.version_created_at,
      contentHash: row.content_hash,
      signatures: Number(signed.n),
    },
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

/** A version's translations as content (the shape the hash and the letter files use), default language first. */
export async function loadVersionContent(
  db: Kysely<Database>,
  versionId: number,
  defaultLanguage: string,
): Promise<TranslationContent[]> {
  const rows = await db
    .selectFrom("letter_translations")
    .selectAll()
    .where("version_id", "=", versionId)
    .orderBy("language")
    .execute();
  const content = rows.map(
    (r): TranslationContent => ({
      language: r.language,
      title: r.title,
      subject: r.subject,
      addressees: parseAddressees(r.addressees),
      salutation: r.salutation,
      body: r.body,
      closing: r.closing,
      publisherAbout: r.publisher_about,
    }),
  );
  return [
    ...content.filter((t) => t.language === defaultLanguage),
    ...content.filter((t) => t.language !== defaultLanguage),
  ];
}

function parse(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function stringArray(text: string): string[] {
  return parse(text).filter((v): v is string => typeof v === "string");
}

function publisherLinks(text: string): PublisherLink[] {
  return parse(text).flatMap((l) => {
    const link = l as Partial<PublisherLink>;
    return typeof link?.label === "string" && typeof link.url === "string"
      ? [{ label: link.label, url: link.url }]
      : [];
  });
}

/** A JSON object of strings (count statement templates by language); anything else is dropped. */
function stringRecord(json: string): Record<string, string> {
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  } catch {
    return {};
  }
}
