import type { Generated } from "kysely";
import type { Signers } from "../../domain/letter-settings.ts";
import type { LetterState } from "../../domain/letter-states.ts";
import type { Flag, Id, Time } from "./columns.ts";

/*
 * Letters, their versions and translations, and the files uploaded for them.
 */

export interface LettersTable {
  id: Id;
  campaign_id: number;
  slug: string;
  /** Order within the campaign, so later letters can cite earlier ones. */
  position: number;
  state: LetterState;
  default_language: string;
  signers: Signers;
  /** JSON array of category names, e.g. ["Myanmar","regional","international"]. */
  categories: string;
  /** JSON array of sign-form field names that must be filled. */
  required_fields: string;
  moderation: Flag;
  allow_undisclosed: Flag;
  deadline: Time | null;
  private_token_hash: string | null;
  publication_date: string | null;
  publisher_name: string | null;
  publisher_url: string | null;
  publisher_logo_upload_id: number | null;
  /** JSON array of {label, url}. */
  publisher_links: string;
  /** Where officials' replies to the delivery mail go (its Reply-To), set by a coordinator. */
  reply_to: string | null;
  current_version_id: number | null;
  created_at: Time;
  updated_at: Time;
  published_at: Time | null;
  closed_at: Time | null;
  archived_at: Time | null;
  /** The letter's permanent name in the transparency log, fixed at its first entry. */
  log_name: string | null;
  /** JSON object of count statement templates by language ({} when the generated sentence is used). */
  count_statements: Generated<string>;
  /** JSON object of translated labels by language (domain/label-translations.ts); {} when none. */
  label_translations: Generated<string>;
  /** Hours between count releases, a divisor of 24 (domain/count-release.ts). */
  release_every_hours: Generated<number>;
  /** The last release that changed this letter's counts, to the hour. */
  counts_released_at: Time | null;
}

export interface LetterVersionsTable {
  id: Id;
  letter_id: number;
  number: number;
  content_hash: string;
  letter_date: string | null;
  created_at: Time;
  created_by: number | null;
}

export interface LetterTranslationsTable {
  id: Id;
  version_id: number;
  language: string;
  title: string;
  subject: string;
  /** JSON array of {heading, names[]} in order. */
  addressees: string;
  salutation: string;
  body: string;
  closing: string;
  publisher_about: string;
}

export interface UploadsTable {
  id: Id;
  sha256: string;
  media_type: string;
  bytes: number;
  path: string;
  created_at: Time;
}
