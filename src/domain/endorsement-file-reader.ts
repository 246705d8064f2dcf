import { readSheet } from "read-excel-file/universal";
import { withoutFormulaGuard } from "./csv.ts";
import { CsvSyntaxError, parseCsv } from "./csv-reader.ts";
import { type ZipProblem, zipBoundsProblem } from "./zip-bounds.ts";

/*
 * An endorsement file's bytes (DESIGN.md, "Endorsement files") as records of text cells, whichever of the
 * two formats coordinators have: CSV (UTF-8, as csv-reader.ts reads it) or XLSX (Excel, LibreOffice and
 * Google Sheets workbooks; the first sheet). The same code runs in three places: the CLI, the console's
 * server (files without undisclosed rows), and the coordinator's browser (any file: the undisclosed rows
 * are sealed there), so it uses nothing but the platform's TextDecoder and read-excel-file's universal
 * build (fflate and a SAX parser, no eval, no Node built-ins).
 *
 * XLSX cells become the text a CSV export of the sheet would hold, except dates: a date cell (a serial
 * number with a date format) becomes an ISO-8601 UTC timestamp, because the file holds no zone and
 * signed-at.ts reads times without one as UTC too. Numbers keep the digits as stored (no 1.2E+3).
 */

export type FileProblemCode =
  | "notUtf8"
  | "csvSyntax"
  | "notSpreadsheet"
  | "oldExcel"
  | "empty"
  | `zip.${ZipProblem["kind"]}`;

export class EndorsementFileUnreadable extends Error {
  constructor(
    readonly code: FileProblemCode,
    readonly params: Record<string, string | number>,
    message: string,
  ) {
    super(message);
  }
}

export type EndorsementFileFormat = "csv" | "xlsx";

export type ReadEndorsementFile = {
  format: EndorsementFileFormat;
  /** Header first; every record as text cells. */
  records: string[][];
  /**
   * The bytes whose SHA-256 recognises a file imported before: the decoded text for CSV (so a byte-order
   * mark makes no difference, and the CLI, the server and the browser agree), the file itself for XLSX.
   */
  digestInput: Uint8Array;
};

/** A ZIP file's first four bytes: every XLSX workbook is one. */
function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The old binary Excel format (OLE compound file), which is refused with advice. */
function isOle(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

export async function readEndorsementFile(bytes: Uint8Array): Promise<ReadEndorsementFile> {
  if (bytes.length === 0) throw new EndorsementFileUnreadable("empty", {}, "the file is empty");
  if (isOle(bytes))
    throw new EndorsementFileUnreadable(
      "oldExcel",
      {},
      "this is an old Excel (.xls) file; save it as .xlsx or as CSV UTF-8",
    );
  if (isZip(bytes)) {
    const records = await readXlsx(bytes);
    if (records.length === 0) throw new EndorsementFileUnreadable("empty", {}, "the file is empty");
    return { format: "xlsx", records, digestInput: bytes };
  }
  let text: string;
  try {
    // fatal: a file in a legacy code page must be refused, not imported as mojibake.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new EndorsementFileUnreadable("notUtf8", {}, "the file is not UTF-8 text; save it as CSV UTF-8");
  }
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new EndorsementFileUnreadable("csvSyntax", { record: error.record }, error.message);
    throw error;
  }
  if (records.length === 0) throw new EndorsementFileUnreadable("empty", {}, "the file is empty");
  return { format: "csv", records, digestInput: new TextEncoder().encode(text) };
}

type Cell = string | number | boolean | Date | null;

export async function readXlsx(bytes: Uint8Array): Promise<string[][]> {
  // Checked before anything is unpacked: what the archive declares bounds what read-excel-file inflates.
  const bounds = zipBoundsProblem(bytes);
  if (bounds) {
    const { kind, ...params } = bounds;
    throw new EndorsementFileUnreadable(`zip.${kind}`, params, `the workbook is refused unread (${kind})`);
  }
  // read-excel-file takes an ArrayBuffer (or Blob) of exactly the file.
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Cell[][];
  try {
    // parseNumber keeps numbers as the digits stored in the file: a phone number or "0012" stays text.
    rows = (await readSheet(buffer, { parseNumber: (digits: string) => digits })) as unknown as Cell[][];
  } catch (error) {
    throw new EndorsementFileUnreadable(
      "notSpreadsheet",
      {},
      `the file is not a spreadsheet this import reads (${(error as Error).message})`,
    );
  }
  return rows.map((row) => row.map(cellText));
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) {
    // Serial numbers carry binary fractions (09:05 comes back as 09:04:59.999): round to the second.
    return new Date(Math.round(cell.getTime() / 1000) * 1000).toISOString();
  }
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  return withoutFormulaGuard(String(cell));
}
