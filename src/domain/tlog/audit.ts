import { fromBase64, utf8 } from "./bytes.ts";
import {
  commitment,
  ENDORSEMENT_TYPE,
  type EndorsementEntry,
  type LogEntry,
  recountIndexed,
  SALT_BYTES,
} from "./entries.ts";

/*
 * The coalition's audit of a letter's undisclosed count, as a pure rule both the CLI (queries/
 * audit-letter-log.ts) and the console's audit page (web/browser/audit-log.ts) apply, so they reach the same
 * verdict: every undisclosed endorsement that counts in the log must be the commitment of a sealed record
 * of this letter (its salt is inside the record: crypto/sealed-identity.ts) whose endorsement is approved and
 * counted, and no record may stand behind two entries. A server padding the count with commitments to
 * nothing, to withdrawn or rejected endorsements, or to one record twice is caught; one padding it with
 * records it sealed itself shows them to the coalition, which opens them and knows its signatories.
 *
 * The verdict names entries by index and records by id only: never what a record says.
 */

export type LogAudit = {
  letter: string;
  /** Undisclosed endorsements that count in the log now. */
  counting: number;
  /** Of those, the ones whose commitment a confirmed sealed record of this letter recomputes. */
  matched: number;
  /** Matched by the commitment stored at the migration, their records holding no salt (made before). */
  unsalted: number;
  /** Undisclosed endorsements that count but the log has yet to take up (within seconds). */
  waiting: number;
  problems: string[];
};

export type AuditedRecord = {
  id: number;
  state: string;
  counted: boolean;
  /** The sealed record as stored: the commitment is over this text. */
  sealed: string;
  /** What it opened to with the coalition key, or null when it did not open. */
  opened: { salt?: unknown } | null;
  /** The commitment the database keeps, the only match for records sealed before salts went inside. */
  storedCommit: string | null;
};

export function auditUndisclosed(
  letter: string,
  entries: readonly { index: number; entry: LogEntry | null }[],
  records: readonly AuditedRecord[],
): LogAudit {
  const problems: string[] = [];
  const byCommitment = new Map<string, { id: number; counted: boolean; state: string; salted: boolean }>();
  for (const record of records) {
    if (!record.opened) {
      problems.push(`signature ${record.id}: its sealed record does not open with this key`);
      continue;
    }
    const salt = typeof record.opened.salt === "string" ? fromBase64(record.opened.salt) : null;
    const salted = salt?.length === SALT_BYTES;
    const commit = salted ? commitment(salt!, utf8(record.sealed)) : record.storedCommit;
    if (commit === null) continue;
    byCommitment.set(commit, { id: record.id, counted: record.counted, state: record.state, salted });
  }

  const recount = recountIndexed(entries, letter);
  problems.push(...recount.problems);
  const entryAt = new Map(entries.map((p) => [p.index, p.entry]));
  const seen = new Map<number, number>();
  let counting = 0;
  let matched = 0;
  let unsalted = 0;
  for (const index of recount.counting) {
    const entry = entryAt.get(index) as EndorsementEntry;
    if (entry.type !== ENDORSEMENT_TYPE || entry.visibility !== "undisclosed") continue;
    counting++;
    const record = byCommitment.get(entry.commit);
    if (!record) {
      problems.push(`entry ${index}: no sealed record of this letter makes its commitment`);
      continue;
    }
    const first = seen.get(record.id);
    if (first !== undefined) {
      problems.push(`entry ${index}: the same record as entry ${first}`);
      continue;
    }
    seen.set(record.id, index);
    if (record.state !== "approved" || !record.counted) {
      problems.push(`entry ${index}: its endorsement is ${record.state}, not approved and counted`);
      continue;
    }
    matched++;
    if (!record.salted) unsalted++;
  }
  const countedRecords = [...byCommitment.values()].filter((r) => r.counted && r.state === "approved");
  const waiting = countedRecords.filter((r) => !seen.has(r.id)).length;
  return { letter, counting, matched, unsalted, waiting, problems };
}
