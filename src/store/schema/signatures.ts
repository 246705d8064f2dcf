import type { Generated } from "kysely";
import type {
  SignatureKind,
  SignatureSource,
  SignatureState,
  Visibility,
} from "../../domain/signature-states.ts";
import type { Flag, Id, Time } from "./columns.ts";

/*
 * Endorsements: the signature rows, the files they were imported from, and what signers did (by day).
 */

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
  /** Confusable skeleton (TR39) of the public name, beside the match key: listed only, like it. */
  skeleton: string | null;
  /** A name change the signer asked for after approval, awaiting review; the public name stays until then. */
  proposed_name: string | null;
  proposed_name_alt: string | null;
  /**
   * Undisclosed imports only: the name's match key under a per-letter secret derived from the coalition key
   * (crypto/keyed-match-key.ts), so a re-imported export recognises them; the server cannot compute it.
   */
  keyed_match_key: string | null;
  sealed_identity: string | null;
  sealed_contact: string | null;
  state: SignatureState;
  source: SignatureSource;
  /**
   * A listed endorsement's log commitment salt (domain/tlog/entries.ts), published beside the log with its
   * name. Null for an undisclosed one, whose salt is never stored readable.
   */
  listed_salt: string | null;
  /** An undisclosed endorsement's log commitment, over its salt and its sealed record (which holds the salt). */
  undisclosed_commit: string | null;
  /** An undisclosed endorsement's salt boxed for its signer's receipt (crypto/receipt-salt.ts). */
  receipt_salt_box: string | null;
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
  /** 1 when the row counts now: what every public count reads (queries/counted-signatures.ts). */
  counted: Flag;
  /** The release (to the hour) at which a signer's change reaches `counted`; null when none is pending. */
  count_change_at: Time | null;
  /** Threshold disclosure (domain/threshold-disclosure.ts): list once this many others are listed. */
  disclose_threshold: number | null;
  /** …or from this UTC day (YYYY-MM-DD), when the signer set one. */
  disclose_on: string | null;
  /** The UTC day the coalition listed a threshold endorsement; null before. */
  disclosed_on: string | null;
  /**
   * 1 when the row, as last released, is undisclosed with a listing condition: its part in the public
   * "waiting" figure, which reads it only with `counted` and moves when `counted` does (store/waiting-flag.ts).
   */
  counted_waiting: Generated<Flag>;
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

/** What a signer did, by day only and under a random id: see migrations/0008-signer-times.ts. */
export interface SignerEventsTable {
  id: number;
  /** YYYY-MM-DD (UTC). */
  day: string;
  action: string;
  signature_id: number | null;
  campaign_id: number | null;
  letter_id: number | null;
  /** JSON; never holds an undisclosed identity or a secret. */
  detail: string;
}
