import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, fromBase64, toBase64, utf8 } from "./bytes.ts";

/*
 * The log's entries: UTF-8 text, one `key value` per line after a first line naming the type. Plain text
 * so that anyone can read an entry bundle with a hex dump and recount a letter with a short script:
 * per letter, visibility and signer, endorsements minus withdrawals.
 */

export const ENDORSEMENT_TYPE = "undersigned/endorsement/v1";
export const WITHDRAWAL_TYPE = "undersigned/withdrawal/v1";
export const STATEMENT_TYPE = "undersigned/statement/v1";

export type LogVisibility = "listed" | "undisclosed";
export type LogSigner = "organisation" | "individual";

export type EndorsementEntry = {
  type: typeof ENDORSEMENT_TYPE;
  letter: string;
  visibility: LogVisibility;
  signer: LogSigner;
  /** base64 SHA-256 of the letter version endorsed. */
  text: string;
  /** UTC day, YYYY-MM-DD: a signer's moment is never logged finer. */
  day: string;
  /** base64 SHA-256 over the salt and the endorsement (see `commitment`). */
  commit: string;
};

export type WithdrawalEntry = {
  type: typeof WITHDRAWAL_TYPE;
  letter: string;
  visibility: LogVisibility;
  signer: LogSigner;
  /** Index of the endorsement entry that stops counting. */
  entry: number;
};

export type StatementEntry = {
  type: typeof STATEMENT_TYPE;
  letter: string;
  total: number;
  listed: number;
  undisclosed: number;
  /** base64 SHA-256 of the letter version the count sentence stands under. */
  text: string;
};

export type LogEntry = EndorsementEntry | WithdrawalEntry | StatementEntry;

const FIELDS = {
  [ENDORSEMENT_TYPE]: ["letter", "visibility", "signer", "text", "day", "commit"],
  [WITHDRAWAL_TYPE]: ["letter", "visibility", "signer", "entry"],
  [STATEMENT_TYPE]: ["letter", "total", "listed", "undisclosed", "text"],
} as const;

const LETTER_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;
const HASH_B64 = /^[A-Za-z0-9+/]{43}=$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = /^(0|[1-9][0-9]{0,15})$/;

export function isLetterName(name: string): boolean {
  return LETTER_NAME.test(name);
}

export function formatEntry(entry: LogEntry): string {
  const fields = FIELDS[entry.type] as readonly string[];
  const values = entry as unknown as Record<string, string | number>;
  const problem = validate(entry);
  if (problem) throw new Error(`log entry: ${problem}`);
  return `${entry.type}\n${fields.map((f) => `${f} ${values[f]}\n`).join("")}`;
}

export function encodeEntry(entry: LogEntry): Uint8Array {
  return utf8(formatEntry(entry));
}

function validate(entry: LogEntry): string | null {
  if (!isLetterName(entry.letter)) return "letter name";
  if (entry.type === STATEMENT_TYPE) {
    if (![entry.total, entry.listed, entry.undisclosed].every((n) => COUNT.test(String(n)))) return "counts";
    if (entry.total !== entry.listed + entry.undisclosed) return "total is not listed + undisclosed";
    return HASH_B64.test(entry.text) ? null : "text hash";
  }
  if (entry.visibility !== "listed" && entry.visibility !== "undisclosed") return "visibility";
  if (entry.signer !== "organisation" && entry.signer !== "individual") return "signer";
  if (entry.type === WITHDRAWAL_TYPE) return COUNT.test(String(entry.entry)) ? null : "entry index";
  if (!HASH_B64.test(entry.text)) return "text hash";
  if (!DAY.test(entry.day)) return "day";
  return HASH_B64.test(entry.commit) ? null : "commit";
}

/** Parses one entry; null for anything not exactly in our format (other logs' entries included). */
export function parseEntry(bytes: Uint8Array): LogEntry | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (!text.endsWith("\n")) return null;
  const lines = text.slice(0, -1).split("\n");
  const type = lines.shift() as LogEntry["type"];
  const fields = FIELDS[type] as readonly string[] | undefined;
  if (!fields || lines.length !== fields.length) return null;
  const record: Record<string, string | number> = { type };
  for (const [i, field] of fields.entries()) {
    const line = lines[i]!;
    if (!line.startsWith(`${field} `)) return null;
    const value = line.slice(field.length + 1);
    record[field] = ["total", "listed", "undisclosed", "entry"].includes(field) ? Number(value) : value;
    if (typeof record[field] === "number" && !COUNT.test(value)) return null;
  }
  const entry = record as unknown as LogEntry;
  return validate(entry) === null ? entry : null;
}

export type LogCounts = {
  total: number;
  listed: number;
  undisclosed: number;
  byKind: Record<LogSigner, { total: number; listed: number; undisclosed: number }>;
};

export type Recount = {
  counts: LogCounts;
  /** Indexes of endorsements of this letter still counting. */
  counting: number[];
  /** Why the entries cannot be trusted for this letter (a withdrawal of nothing, a double withdrawal…). */
  problems: string[];
  /** The newest statement entry for the letter, with its index. */
  lastStatement: { index: number; entry: StatementEntry } | null;
};

/**
 * The counting rule anyone can apply: per letter, visibility and signer, endorsements minus withdrawals.
 * A withdrawal must name an earlier endorsement of the same letter, visibility and signer that still counts.
 */
export function recountLetter(entries: Iterable<Uint8Array | LogEntry | null>, letter: string): Recount {
  return recountIndexed(
    (function* () {
      let index = 0;
      for (const raw of entries)
        yield { index: index++, entry: raw instanceof Uint8Array ? parseEntry(raw) : raw };
    })(),
    letter,
  );
}

/** The same rule over entries with their log indexes, in increasing order (a letter's own entries suffice). */
export function recountIndexed(
  entries: Iterable<{ index: number; entry: LogEntry | null }>,
  letter: string,
): Recount {
  const endorsements = new Map<number, EndorsementEntry>();
  const problems: string[] = [];
  let lastStatement: Recount["lastStatement"] = null;
  for (const { index, entry } of entries) {
    if (!entry || entry.letter !== letter) continue;
    if (entry.type === ENDORSEMENT_TYPE) endorsements.set(index, entry);
    else if (entry.type === STATEMENT_TYPE) lastStatement = { index, entry };
    else {
      const target = endorsements.get(entry.entry);
      if (!target || target.visibility !== entry.visibility || target.signer !== entry.signer) {
        problems.push(
          `entry ${index} withdraws ${entry.entry}, which is not a counting endorsement of this letter`,
        );
      } else {
        endorsements.delete(entry.entry);
      }
    }
  }
  const byKind: LogCounts["byKind"] = {
    organisation: { total: 0, listed: 0, undisclosed: 0 },
    individual: { total: 0, listed: 0, undisclosed: 0 },
  };
  for (const e of endorsements.values()) {
    byKind[e.signer][e.visibility]++;
    byKind[e.signer].total++;
  }
  const listed = byKind.organisation.listed + byKind.individual.listed;
  const undisclosed = byKind.organisation.undisclosed + byKind.individual.undisclosed;
  return {
    counts: { total: listed + undisclosed, listed, undisclosed, byKind },
    counting: [...endorsements.keys()],
    problems,
    lastStatement,
  };
}

export const SALT_BYTES = 32;
const COMMIT_PREFIX = utf8("undersigned/commit/v1\n");

/**
 * commit = SHA-256("undersigned/commit/v1\n" ‖ salt ‖ subject). The subject of a listed endorsement is its
 * published name (UTF-8), so the names file lets anyone check it; an undisclosed one's is its sealed
 * record, which holds the salt inside, so only the coalition key can link commitment and record.
 */
export function commitment(salt: Uint8Array, subject: Uint8Array): string {
  if (salt.length !== SALT_BYTES) throw new Error("a commitment salt is 32 bytes");
  return toBase64(sha256(concatBytes(COMMIT_PREFIX, salt, subject)));
}

export function textHash(letterVersionText: string): string {
  return toBase64(sha256(utf8(letterVersionText)));
}

export function decodeSalt(text: string): Uint8Array | null {
  const bytes = fromBase64(text);
  return bytes && bytes.length === SALT_BYTES ? bytes : null;
}
