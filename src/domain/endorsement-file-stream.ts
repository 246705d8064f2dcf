import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { DistinctAnswers, distinctAnswers } from "./answer-guesses.ts";
import { CsvParser, CsvSyntaxError } from "./csv-reader.ts";
import {
  type EndorsementFileFormat,
  EndorsementFileUnreadable,
  type ReadEndorsementFile,
  readEndorsementFile,
} from "./endorsement-file-reader.ts";
import { DateOrderEvidence, dateOrderOf, type FileDateOrder } from "./signed-at.ts";

/*
 * An endorsement file read from disk for an import, without holding it: a CSV file is read twice as a
 * stream, once to check it can be read at all (UTF-8, well-formed), take its digest and decide its date
 * order (signed-at.ts: a property of the whole file, so it must be known before the first row is checked)
 * and gather each column's distinct answers (answer-guesses.ts: confirmed before any row is imported),
 * and once more to hand the import its records one by one. Memory holds a piece of the file and one
 * record, whatever the file's size. An XLSX workbook is a ZIP whose sheet must be unpacked and parsed
 * whole by read-excel-file, so it is read as readEndorsementFile reads it: in memory, as large as the file.
 * The digest is readEndorsementFile's in both cases, so a file is recognised whichever way it was read.
 */

export type EndorsementSource = {
  format: EndorsementFileFormat;
  /** SHA-256 (hex) of the file as readEndorsementFile defines it. */
  digest: string;
  header: string[];
  /** The date order of the slashed dates in this column (the whole file's, as dateOrderOf decides it). */
  dateOrder(column: number | undefined): FileDateOrder;
  /** The distinct answers (folded, bounded) in this column, for the coordinator to confirm. */
  answers(column: number | undefined): string[];
  /** The records after the header, in order; blank lines as records of empty cells. */
  body(): AsyncIterable<string[]>;
};

const PIECE_BYTES = 1024 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

/** A file already read into records (XLSX, the console's small uploads, tests). */
export function sourceOfRecords(
  file: Pick<ReadEndorsementFile, "format" | "records" | "digestInput">,
): EndorsementSource {
  const [header = [], ...body] = file.records;
  return {
    format: file.format,
    digest: createHash("sha256").update(file.digestInput).digest("hex"),
    header,
    dateOrder: (column) => dateOrderOf(column === undefined ? [] : body.map((r) => r[column] ?? "")),
    answers: (column) => (column === undefined ? [] : distinctAnswers(body.map((r) => r[column] ?? ""))),
    async *body() {
      yield* body;
    },
  };
}

/** Opens an endorsement file on disk; throws EndorsementFileUnreadable as readEndorsementFile does. */
export async function openEndorsementFile(path: string): Promise<EndorsementSource> {
  const start = Buffer.alloc(4);
  const handle = await open(path, "r");
  let length: number;
  try {
    ({ bytesRead: length } = await handle.read(start, 0, 4, 0));
  } finally {
    await handle.close();
  }
  const isZip = start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04;
  const isOle = start[0] === 0xd0 && start[1] === 0xcf && start[2] === 0x11 && start[3] === 0xe0;
  if (length === 0 || isZip || isOle) return sourceOfRecords(await readEndorsementFile(await readFile(path)));

  const hash = createHash("sha256");
  let header: string[] | undefined;
  let evidence: DateOrderEvidence[] = [];
  let answers: DistinctAnswers[] = [];
  let first = true;
  for await (const records of csvPieces(path, (bytes) => {
    // The digest is of the text as decoded, which has no byte-order mark.
    const bom = first && BOM.every((b, i) => bytes[i] === b);
    first = false;
    hash.update(bom ? bytes.subarray(3) : bytes);
  })) {
    for (const record of records) {
      if (!header) {
        header = record;
        evidence = record.map(() => new DateOrderEvidence());
        answers = record.map(() => new DistinctAnswers());
        continue;
      }
      for (let i = 0; i < evidence.length; i++) {
        evidence[i]!.note(record[i] ?? "");
        answers[i]!.note(record[i] ?? "");
      }
    }
  }
  if (!header) throw new EndorsementFileUnreadable("empty", {}, "the file is empty");
  const digest = hash.digest("hex");
  return {
    format: "csv",
    digest,
    header,
    dateOrder: (column) => (column === undefined ? "undecided" : (evidence[column]?.order() ?? "undecided")),
    answers: (column) => (column === undefined ? [] : (answers[column]?.list() ?? [])),
    async *body() {
      let seenHeader = false;
      for await (const records of csvPieces(path, () => {})) {
        for (const record of records) {
          if (seenHeader) yield record;
          seenHeader = true;
        }
      }
    },
  };
}

/** The file's records a piece at a time; `onBytes` sees every byte read, in order. */
async function* csvPieces(path: string, onBytes: (bytes: Buffer) => void): AsyncGenerator<string[][]> {
  // fatal: a file in a legacy code page must be refused, not imported as mojibake.
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parser = new CsvParser();
  const text = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new EndorsementFileUnreadable("notUtf8", {}, "the file is not UTF-8 text; save it as CSV UTF-8");
    }
  };
  const records = (piece: string | null) => {
    try {
      return piece === null ? parser.end() : parser.push(piece);
    } catch (error) {
      if (error instanceof CsvSyntaxError)
        throw new EndorsementFileUnreadable("csvSyntax", { record: error.record }, error.message);
      throw error;
    }
  };
  for await (const bytes of createReadStream(path, { highWaterMark: PIECE_BYTES })) {
    onBytes(bytes as Buffer);
    yield records(text(bytes as Buffer));
  }
  const rest = text();
  yield [...records(rest), ...records(null)];
}
