import type { Generated } from "kysely";
import type { Signers } from "../domain/letter-settings.ts";
import type { LetterState } from "../domain/letter-states.ts";
import type { DeliveryMethod, DeliveryState } from "../domain/recipients.ts";
import type { Role } from "../domain/roles.ts";
import type {
  SignatureKind,
  SignatureSource,
  SignatureState,
  Visibility,
} from "../domain/signature-states.ts";

/*
 * The whole schema, typed for Kysely. Both databases store the same shapes so one set of queries serves
 * both: times are ISO-8601 UTC strings (sortable as text), dates are YYYY-MM-DD, flags are 0/1 integers,
 * JSON is text, and sealed boxes are base64 text. Nothing here holds an undisclosed signatory's identity in
 * the clear: those live only inside `sealed_identity` / `sealed_contact`.
 */

type Id = Generated<number>;
type Flag = number;
type Time = string;

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Time;
}

export interface UsersTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  locale: string;
  totp_secret: string | null;
  totp_enabled_at: Time | null;
  /** JSON array of SHA-256 hashes of unused recovery codes. */
  recovery_codes: string | null;
  created_at: Time;
  updated_at: Time;
  disabled_at: Time | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a database leak does not yield live sessions. */
  id: string;
  user_id: number;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
  /** Set once the second factor was given (or immediately when the user has none). */
  second_factor_at: Time | null;
}

export type TokenPurpose = "setup" | "password_reset" | "invite";

export interface OneTimeTokensTable {
  id: Id;
  token_hash: string;
  purpose: TokenPurpose;
  user_id: number | null;
  campaign_id: number | null;
  role: Role | null;
  email: string | null;
  expires_at: Time;
  used_at: Time | null;
  created_at: Time;
}

export interface CampaignsTable {
  id: Id;
  slug: string;
  name: string;
  description: string;
  /** Base64 X25519 public key that undisclosed identities and contacts are sealed to. */
  public_key: string | null;
  /** 1 for the example campaign, whose private key sits on the server and must never seal real data. */
  demo_key: Flag;
  require_totp: Flag;
  created_at: Time;
  updated_at: Time;
}

export interface CampaignMembersTable {
  campaign_id: number;
  user_id: number;
  role: Role;
  created_at: Time;
}

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
  current_version_id: number | null;
  created_at: Time;
  updated_at: Time;
  published_at: Time | null;
  closed_at: Time | null;
  archived_at: Time | null;
  /** The letter's permanent name in the transparency log, fixed at its first entry. */
  log_name: string | null;
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

export interface SignaturesTable {
  id: Id;
  letter_id: number;
  version_id: number;
  kind: SignatureKind;
  visibility: Visibility;
  category: string | null;
  country: string | null;
  /** Public name: listed signatures only; always null for undisclosed ones. */
  display_name: string | null;
  display_name_alt: string | null;
  website: string | null;
  /** Duplicate-detection key derived from the public name: listed only (DESIGN.md forbids it otherwise). */
  match_key: string | null;
  sealed_identity: string | null;
  sealed_contact: string | null;
  state: SignatureState;
  source: SignatureSource;
  /** Random salt committed in the Merkle leaf; undisclosed leaves commit to this and nothing else. */
  leaf_salt: string;
  confirm_token_hash: string | null;
  confirm_expires_at: Time | null;
  manage_token_hash: string | null;
  /** Opt-in updates address: listed signatures only, erased on unsubscribe. */
  updates_email: string | null;
  updates_token_hash: string | null;
  merged_into_id: number | null;
  reject_reason: string | null;
  created_at: Time;
  confirmed_at: Time | null;
  approved_at: Time | null;
  rejected_at: Time | null;
  withdrawn_at: Time | null;
  merged_at: Time | null;
  updated_at: Time;
}

export interface RecipientsTable {
  id: Id;
  letter_id: number;
  name: string;
  office: string | null;
  country: string | null;
  addressee_group: string | null;
  /** JSON array of email addresses. */
  emails: string;
  postal_address: string | null;
  notes: string | null;
  position: number;
  created_at: Time;
  updated_at: Time;
}

export interface DeliveriesTable {
  id: Id;
  letter_id: number;
  recipient_id: number;
  method: DeliveryMethod;
  state: DeliveryState;
  outbox_message_id: number | null;
  version_id: number | null;
  pdf_sha256: string | null;
  delivered_at: Time | null;
  note: string | null;
  last_response: string | null;
  created_at: Time;
  updated_at: Time;
  created_by: number | null;
}

export interface ResponsesTable {
  id: Id;
  letter_id: number;
  recipient_id: number;
  received_at: string;
  summary: string;
  document_upload_id: number | null;
  is_public: Flag;
  created_at: Time;
  created_by: number | null;
}

export interface StancesTable {
  id: Id;
  campaign_id: number;
  label: string;
  /** JSON object language → label. */
  translations: string;
  created_at: Time;
}

export interface RecipientStancesTable {
  recipient_id: number;
  stance_id: number;
  created_at: Time;
}

export interface LetterUpdatesTable {
  id: Id;
  letter_id: number;
  language: string;
  title: string;
  body: string;
  published_at: Time;
  mailed_at: Time | null;
  created_by: number | null;
}

export interface AuditEntriesTable {
  id: Id;
  at: Time;
  actor_user_id: number | null;
  /** "system", "signer", "cli" or the user's email, kept so entries stay readable after a user is removed. */
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: number | null;
  campaign_id: number | null;
  letter_id: number | null;
  /** JSON; never holds an undisclosed identity or a secret. */
  detail: string;
}

export type OutboxState = "pending" | "sending" | "sent" | "failed";

export interface OutboxMessagesTable {
  id: Id;
  purpose: string;
  /** Erased (null) once the message is sent or has permanently failed. */
  to_address: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON object of extra headers (e.g. List-Unsubscribe). */
  headers: string;
  /** JSON array of {filename, contentType, path}. */
  attachments: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: Time;
  lease_until: Time | null;
  last_error: string | null;
  message_id: string;
  delivery_id: number | null;
  created_at: Time;
  sent_at: Time | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: Time;
  hits: number;
}

export interface LogStateTable {
  /** Always 1: one log per installation. */
  id: number;
  /** Checkpoint origin and key name, e.g. letters.example.org/log. */
  origin: string;
  /** The note verifier key every process's log key must match. */
  verifier_key: string;
  /** The signer key, when the installation keeps it here instead of LOG_KEY. */
  signer_key: string | null;
  size: number;
  /** The newest signed checkpoint note. */
  checkpoint: string;
  updated_at: Time;
}

export type LogEntryKind = "endorsement" | "withdrawal" | "statement";

export interface LogEntriesTable {
  idx: number;
  kind: LogEntryKind;
  letter_id: number | null;
  signature_id: number | null;
  /** The entry text exactly as hashed into the tree. */
  entry: string;
  /** Listed endorsements only, while they count: published beside the log so anyone can check `commit`. */
  listed_name: string | null;
  listed_salt: string | null;
  /** The withdrawal entry's index, once this endorsement stopped counting. */
  withdrawn_by: number | null;
  /** To the hour: the server's own periodic work. */
  created_at: Time;
}

export interface LogNodesTable {
  level: number;
  idx: number;
  /** base64 SHA-256 of the complete subtree. */
  hash: string;
}

export interface UploadsTable {
  id: Id;
  sha256: string;
  media_type: string;
  bytes: number;
  path: string;
  created_at: Time;
}

export type ImportState = "running" | "done";

/** One endorsement file imported (or being imported) into one letter; see migrations/0007-imports.ts. */
export interface ImportsTable {
  id: Id;
  letter_id: number;
  /** SHA-256 of the file as readEndorsementFile defines it: the same file imported again is recognised. */
  file_sha256: string;
  status: "confirmed" | "approved";
  state: ImportState;
  /** The last row of the file (spreadsheet numbering) whose batch has committed; a re-run resumes after it. */
  rows_done: number;
  imported: number;
  duplicates: number;
  rejected: number;
  /** Exact while it runs (the console shows rows per second); cut to the UTC day when it finishes. */
  started_at: Time;
  updated_at: Time;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  campaigns: CampaignsTable;
  campaign_members: CampaignMembersTable;
  letters: LettersTable;
  letter_versions: LetterVersionsTable;
  letter_translations: LetterTranslationsTable;
  signatures: SignaturesTable;
  recipients: RecipientsTable;
  deliveries: DeliveriesTable;
  responses: ResponsesTable;
  stances: StancesTable;
  recipient_stances: RecipientStancesTable;
  letter_updates: LetterUpdatesTable;
  audit_entries: AuditEntriesTable;
  outbox_messages: OutboxMessagesTable;
  rate_limits: RateLimitsTable;
  log_state: LogStateTable;
  log_entries: LogEntriesTable;
  log_nodes: LogNodesTable;
  uploads: UploadsTable;
  imports: ImportsTable;
}
