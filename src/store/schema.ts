import type {
  CampaignKeyProposalsTable,
  CampaignMembersTable,
  CampaignsTable,
  OneTimeTokensTable,
  SessionsTable,
  SettingsTable,
  UsersTable,
} from "./schema/accounts.ts";
import type {
  DeliveriesTable,
  LetterUpdatesTable,
  OutboxMessagesTable,
  RecipientStancesTable,
  RecipientsTable,
  ResponsesTable,
  StancesTable,
} from "./schema/delivery.ts";
import type {
  LettersTable,
  LetterTranslationsTable,
  LetterVersionsTable,
  UploadsTable,
} from "./schema/letters.ts";
import type {
  AuditEntriesTable,
  LogEntriesTable,
  LogNodesTable,
  LogStateTable,
  LogWitnessesTable,
  RateLimitsTable,
  RateLimitWindowsTable,
} from "./schema/records.ts";
import type { ImportsTable, SignaturesTable, SignerEventsTable } from "./schema/signatures.ts";

/*
 * The whole schema, typed for Kysely. Both databases store the same shapes so one set of queries serves
 * both: times are ISO-8601 UTC strings (sortable as text), dates are YYYY-MM-DD, flags are 0/1 integers,
 * JSON is text, and sealed boxes are base64 text. Nothing here holds an undisclosed signatory's identity in
 * the clear: those live only inside `sealed_identity` / `sealed_contact`.
 *
 * The tables are declared by subject in `schema/`; this is the database they make together.
 */

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  campaigns: CampaignsTable;
  campaign_members: CampaignMembersTable;
  campaign_key_proposals: CampaignKeyProposalsTable;
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
  signer_events: SignerEventsTable;
  outbox_messages: OutboxMessagesTable;
  rate_limit_windows: RateLimitWindowsTable;
  rate_limits: RateLimitsTable;
  log_state: LogStateTable;
  log_entries: LogEntriesTable;
  log_nodes: LogNodesTable;
  log_witnesses: LogWitnessesTable;
  uploads: UploadsTable;
  imports: ImportsTable;
}
