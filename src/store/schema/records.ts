import type { Generated } from "kysely";
import type { Id, Time } from "./columns.ts";

/*
 * What the platform keeps about itself: the audit log, the rate-limit windows, and the transparency log
 * with its witnesses.
 */

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

/** A rate-limit window: a stretch of the grid from UTC midnight, with its own random HMAC key. */
export interface RateLimitWindowsTable {
  /** `<length in minutes>:<start>`, so every process finds the same window. */
  id: string;
  /** Random, base64url; deleted with the window's rows when the window ends. */
  hmac_key: string;
  starts_at: Time;
  ends_at: Time;
}

export interface RateLimitsTable {
  window_id: string;
  /** HMAC under the window's key of what is limited (a client's prefix, an account), never the thing itself. */
  subject_hash: string;
  hits: number;
}

/** A configured witness of the log (store/log-witnesses.ts). */
export interface LogWitnessesTable {
  /** The witness's note verifier key, as configured in WITNESSES. */
  vkey: string;
  /** Its submission prefix; requests go to <url>/add-checkpoint. */
  url: string;
  /** The tree size the witness is known to hold, the old size of the next request. */
  known_size: Generated<number>;
  /** The tree size its newest cosignature covers, and that cosignature's note signature line. */
  cosigned_size: number | null;
  cosignature: string | null;
  failures: Generated<number>;
  next_attempt_at: Time;
  /** Held by the process talking to the witness now; a lease run out belongs to a process that died. */
  lease_until: Time | null;
  /** The last refusal or failure, for operators (no personal data: the witness sees only checkpoints). */
  last_problem: string | null;
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
