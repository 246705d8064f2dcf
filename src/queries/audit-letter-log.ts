import type { Kysely } from "kysely";
import { type KeyPair, openSealed } from "../crypto/seal.ts";
import { type AuditedRecord, auditUndisclosed, type LogAudit } from "../domain/tlog/audit.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { type LogEntry, parseEntry } from "../domain/tlog/entries.ts";
import type { Store } from "../store/db.ts";
import type { Database } from "../store/schema.ts";
import { type ConsoleLetterWithKey, consoleLetterHeading, letterWithKey } from "./console-letter-heading.ts";
import { letterOfKey } from "./letter-of-key.ts";

/*
 * What the coalition's audit of a letter's undisclosed count reads (domain/tlog/audit.ts has the rule): the
 * letter's sealed undisclosed records and its log entries. The CLI opens the records with the key file here;
 * the console's audit page sends them, still sealed, to the coordinator's browser, which opens them there.
 */

export type LogAuditInput = {
  letter: ConsoleLetterWithKey & { logName: string | null };
  records: { id: number; state: string; counted: boolean; sealed: string; storedCommit: string | null }[];
  entries: { index: number; text: string }[];
};

async function readRecordsAndEntries(db: Kysely<Database>, letterId: number) {
  const rows = await db
    .selectFrom("signatures")
    .select(["id", "state", "counted", "sealed_identity", "undisclosed_commit"])
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "undisclosed")
    .where("sealed_identity", "is not", null)
    .orderBy("id")
    .execute();
  const entries = await db
    .selectFrom("log_entries")
    .select(["idx", "entry"])
    .where("letter_id", "=", letterId)
    .orderBy("idx")
    .execute();
  return {
    records: rows.map((r) => ({
      id: r.id,
      state: r.state,
      counted: r.counted === 1,
      sealed: r.sealed_identity!,
      storedCommit: r.undisclosed_commit,
    })),
    entries: entries.map((e) => ({ index: e.idx, text: e.entry })),
  };
}

/** The console's audit page: the letter, its records still sealed, its entries. */
export async function readLogAuditInput(
  db: Kysely<Database>,
  letterId: number,
): Promise<LogAuditInput | null> {
  const letter = await consoleLetterHeading(db, letterId)
    .select(["letters.state", "letters.log_name"])
    .executeTakeFirst();
  if (!letter) return null;
  return {
    letter: { ...letterWithKey(letter), logName: letter.log_name },
    ...(await readRecordsAndEntries(db, letterId)),
  };
}

function parsedEntries(entries: LogAuditInput["entries"]): { index: number; entry: LogEntry | null }[] {
  return entries.map((e) => ({ index: e.index, entry: parseEntry(utf8(e.text)) }));
}

/** The CLI's audit: the records opened here with the key pair. */
export async function auditLetterLog(
  store: Store,
  input: { letterSlug: string; keyPair: KeyPair },
): Promise<LogAudit | string> {
  const letter = await letterOfKey(store.db, input.letterSlug, input.keyPair.publicKey);
  if (typeof letter === "string") return letter;
  if (!letter.log_name) return "this letter is not in the transparency log yet";
  const data = await readRecordsAndEntries(store.db, letter.id);
  const records: AuditedRecord[] = [];
  for (const record of data.records) {
    let opened: AuditedRecord["opened"] = null;
    try {
      opened = JSON.parse(await openSealed(record.sealed, input.keyPair)) as { salt?: unknown };
    } catch {
      opened = null;
    }
    records.push({ ...record, opened });
  }
  return auditUndisclosed(letter.log_name, parsedEntries(data.entries), records);
}
