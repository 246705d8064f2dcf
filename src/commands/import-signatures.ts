import { createHash, randomBytes } from "node:crypto";
import { keyedMatchKeyer, keyedMatchSecret } from "../crypto/keyed-match-key.ts";
import type { KeyPair } from "../crypto/seal.ts";
import { type BoxSealer, sealInThisThread } from "../crypto/sealing.ts";
import {
  ANSWER_COLUMNS,
  type AnswerColumn,
  type AnswerMap,
  unconfirmedAnswers,
} from "../domain/answer-guesses.ts";
import { CsvSyntaxError, parseCsv } from "../domain/csv-reader.ts";
import type { EndorsementColumn } from "../domain/endorsement-file.ts";
import { EndorsementFileUnreadable, type ReadEndorsementFile } from "../domain/endorsement-file-reader.ts";
import { type EndorsementSource, sourceOfRecords } from "../domain/endorsement-file-stream.ts";
import {
  EndorsementFileError,
  mapColumns,
  type PlannedRow,
  pickColumns,
  type RowOutcome,
  rowPlanner,
} from "../domain/endorsement-import.ts";
import type { ImportRow } from "../domain/endorsement-row-check.ts";
import type { DateOrder } from "../domain/signed-at.ts";
import { toBase64 } from "../domain/tlog/bytes.ts";
import { SALT_BYTES } from "../domain/tlog/entries.ts";
import type { Actor } from "../policies/actor.ts";
import type { CommandDeps } from "../store/deps.ts";
import type { ImportProgress, StorableRow } from "../store/import-batch.ts";
import { ImportRefused, type ImportStatus, importTarget } from "../store/import-target.ts";
import { type ImportReport, type IncomingRow, runImport } from "../store/imported-rows.ts";

export type { RowOutcome } from "../domain/endorsement-import.ts";
export { ImportRefused, type ImportReport, type ImportStatus };

/** Answers of the visibility or kind column that are neither canonical nor confirmed, with the guesses. */
export class AnswersToConfirm extends ImportRefused {
  constructor(
    readonly answers: { column: AnswerColumn; header: string; answer: string; guess: string | undefined }[],
  ) {
    super("some answers in the file are not confirmed yet", true, "file");
  }
}

export type ImportSignaturesReport = ImportReport & {
  /** Undisclosed rows imported without a keyed match key (no coalition key given): a later re-import of
   * an updated file cannot recognise them. */
  undisclosedWithoutKey: number;
};

/*
 * Importing an endorsement file (DESIGN.md, "Endorsement files") into a letter: the rows coordinators
 * collected in online forms and spreadsheets. What is stored follows sign-letter.ts exactly:
 *
 * - listed rows: display name, match key and public fields in the clear, contact and email sealed;
 * - undisclosed rows: identity (name, name_alt, website, category, country) and contact sealed to the
 *   campaign's public key, here, on the machine running the import, before the transaction opens. No
 *   display name, match key or any other value derived from the identity is stored.
 *
 * This runs where the file is: the CLI, on the coordinator's machine; and the console's server, only for
 * files without undisclosed rows (the console refuses the others before keeping anything, and its page
 * seals them in the browser instead: import-sealed-signatures.ts).
 *
 * Duplicates are never imported: a listed name whose match key an endorsement of the letter already holds
 * (unless withdrawn, rejected or merged), or a name repeated within the file (compared in memory only, so
 * it works for undisclosed rows too, and across batches: the keys seen so far are kept for the whole run).
 * Undisclosed rows have no stored match key by design; with the coalition key given (`--key`), each gets a
 * keyed match key (crypto/keyed-match-key.ts) that only the key's holder can compute, and an undisclosed
 * row whose keyed key the letter already holds is a duplicate too: an updated export (rows added, a cell
 * fixed) adds only its new rows. Importing the very same file again is recognised by its SHA-256, kept in
 * the import's record: a digest of the whole file, which names nobody. Without the key, an edited file's
 * undisclosed rows come in again and are merged in the console, where the coordinator compares them opened.
 *
 * A file's answers must be understood before any row is: every answer of its visibility and kind columns
 * is canonical ("listed", "organisation") or confirmed by the coordinator (`answers`, the CLI's --value);
 * otherwise nothing is imported and AnswersToConfirm lists them with the importer's guesses. (An answer the
 * importer cannot guess at is a typo, not a form's choice: its rows are rejected, as any bad cell is.) Dates that
 * could be day-first or month-first in a file that does not settle it (signed-at.ts) are read as `dates`
 * says, or imported without a date and reported.
 *
 * Rows are checked, sealed and stored in batches, each its own transaction (imported-rows.ts), so memory
 * holds a batch rather than the file and sign-ons are never held up for long. An import cut short (a crash,
 * a killed process) is finished by running it again: the file's digest finds its record, which says how
 * far it got.
 */

/**
 * The file: CSV text (the CLI's historical input), a file read by readEndorsementFile (CSV or XLSX), or a
 * file opened as a stream by openEndorsementFile (the CLI's, read without holding it).
 */
type FileInput =
  | { text: string }
  | { file: Pick<ReadEndorsementFile, "records" | "digestInput"> }
  | { source: EndorsementSource };

export async function importSignatures(
  deps: Pick<CommandDeps, "store">,
  input: {
    actor: Actor;
    letterSlug: string;
    status: ImportStatus;
    /** Canonical column → header (the CLI's --map); unmapped columns are found by their canonical header. */
    map?: Partial<Record<EndorsementColumn, string>>;
    /** Canonical column → position (the console's mapping form); replaces `map` when given. */
    picked?: Partial<Record<EndorsementColumn, number>>;
    /** Confirmed answers of the visibility and kind columns (the CLI's --value). */
    answers?: AnswerMap;
    /** The coordinator's answer for dates that could be read either way (the CLI's --dates). */
    dates?: DateOrder | undefined;
    /** The coalition key, where the file is read: gives undisclosed rows their keyed match keys. */
    key?: KeyPair | undefined;
    note?: string | undefined;
    /** Each batch's row outcomes as it commits (the CLI prints them); without it they are in the report. */
    onRows?: (rows: RowOutcome[]) => void;
    onProgress?: (progress: ImportProgress) => void;
    /** Seals a batch's boxes; by default in this thread (sealing.ts). */
    sealer?: BoxSealer;
  } & FileInput,
  now: Date,
): Promise<ImportSignaturesReport> {
  const target = await importTarget(deps.store.db, input.actor, { slug: input.letterSlug });
  if (input.key && input.key.publicKey !== target.publicKey)
    throw new ImportRefused("this key file is not the key of the letter's campaign", false, "wrongKey");
  const source = sourceOf(input);
  const { header } = source;
  if (header.length === 0) throw new ImportRefused("the file is empty", true);
  let mapped: ReturnType<typeof mapColumns>;
  try {
    mapped = input.picked ? pickColumns(header, input.picked) : mapColumns(header, input.map ?? {});
  } catch (error) {
    if (error instanceof EndorsementFileError) throw new ImportRefused(error.message, true);
    throw error;
  }
  const answers = input.answers ?? {};
  const toConfirm = ANSWER_COLUMNS.flatMap((column) => {
    const at = mapped.columns[column];
    if (at === undefined) return [];
    const header = source.header[at] ?? "";
    // An answer with no guess is a typo, not a form's choice: its rows are rejected and reported instead.
    return unconfirmedAnswers(column, header, source.answers(at), answers)
      .filter((a) => a.guess !== undefined)
      .map((a) => ({ column, header, ...a }));
  });
  if (toConfirm.length > 0) throw new AnswersToConfirm(toConfirm);
  const dates = input.dates ?? source.dateOrder(mapped.columns.signed_at);
  const plan = rowPlanner(mapped.columns, target.letter, { dates, answers }, now);
  const sealer = input.sealer ?? sealInThisThread;
  const keyer = input.key
    ? keyedMatchKeyer(keyedMatchSecret(Buffer.from(input.key.privateKey, "base64")), target.id)
    : undefined;
  let undisclosedWithoutKey = 0;

  async function* rows(): AsyncGenerator<IncomingRow<PlannedRow>> {
    let row = 1;
    for await (const record of source.body()) {
      row++;
      const planned = plan(record, row);
      if (planned === null) continue;
      yield "outcome" in planned ? { row, outcome: planned } : { row, candidate: planned };
    }
  }

  try {
    const report = await runImport(
      deps,
      {
        actor: input.actor,
        target,
        status: input.status,
        note: input.note,
        fileDigest: source.digest,
        ignoredColumns: mapped.ignored,
        rows: rows(),
        seal: async (candidates) => {
          const sealed = await sealCandidates(candidates, target.publicKey, sealer);
          for (const [i, row] of sealed.entries()) {
            if (row.visibility !== "undisclosed") continue;
            if (keyer) row.keyedKey = keyer(candidates[i]!.key);
            else undisclosedWithoutKey++;
          }
          return sealed;
        },
        onRows: input.onRows,
        onProgress: input.onProgress,
      },
      now,
    );
    return { ...report, undisclosedWithoutKey };
  } catch (error) {
    if (error instanceof EndorsementFileUnreadable) throw new ImportRefused(error.message, true);
    throw error;
  }
}

function sourceOf(input: FileInput): EndorsementSource {
  if ("source" in input) return input.source;
  if ("file" in input) return sourceOfRecords({ format: "csv", ...input.file });
  let records: string[][];
  try {
    records = parseCsv(input.text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ImportRefused(error.message, true);
    throw error;
  }
  // The CLI's historical digest: of the text as given.
  return {
    ...sourceOfRecords({ format: "csv", records, digestInput: new Uint8Array() }),
    digest: createHash("sha256").update(input.text).digest("hex"),
  };
}

/** A batch's candidates with their boxes: every sealed payload of the batch goes to the sealer at once. */
async function sealCandidates(
  candidates: PlannedRow[],
  publicKey: string,
  sealer: BoxSealer,
): Promise<StorableRow[]> {
  // One draw of random bytes for the batch, each undisclosed row's salt a slice of it.
  const random = randomBytes(SALT_BYTES * candidates.length);
  const salts = candidates.map((c, i) =>
    c.data.visibility === "undisclosed" ? random.subarray(SALT_BYTES * i, SALT_BYTES * (i + 1)) : null,
  );
  const payloads = candidates.map((c, i) => sealedPayloads(c.data, salts[i]!));
  const boxes = await sealer(
    payloads.flatMap((p) => [p.identity, p.contact].filter((x): x is string => x !== null)),
    publicKey,
  );
  let next = 0;
  return candidates.map((c, i) => {
    const p = payloads[i]!;
    const identity = p.identity === null ? null : boxes[next++]!;
    const contact = p.contact === null ? null : boxes[next++]!;
    const listed = c.data.visibility === "listed";
    return {
      row: c.row,
      kind: c.data.kind,
      visibility: c.data.visibility,
      listed: listed
        ? {
            name: c.data.name,
            nameAlt: c.data.nameAlt,
            category: c.data.category,
            country: c.data.country,
            website: c.data.website,
            key: c.key,
          }
        : null,
      sealedIdentity: identity,
      sealedContact: contact,
      commitSalt: salts[i]!,
      signedAt: c.data.signedAt,
      undatedFrom: c.data.undatedFrom,
    };
  });
}

/** The texts to seal for one row, in the payload shapes the console and `export signatures` open. */
function sealedPayloads(
  row: ImportRow,
  salt: Uint8Array | null,
): { identity: string | null; contact: string | null } {
  const identity =
    salt !== null
      ? JSON.stringify({
          v: 1,
          kind: row.kind,
          name: row.name,
          name_alt: row.nameAlt ?? undefined,
          website: row.website ?? undefined,
          category: row.category ?? undefined,
          country: row.country ?? undefined,
          salt: toBase64(salt),
        })
      : null;
  const hasContact = row.contact !== null || row.email !== null;
  const contact = hasContact
    ? JSON.stringify({ v: 1, contact_person: row.contact ?? undefined, email: row.email ?? undefined })
    : null;
  return { identity, contact };
}
