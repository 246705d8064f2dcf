import writeXlsxFile from "write-excel-file/node";
import { type MessyFile, messyEndorsementFile } from "./endorsement-csv.ts";

/*
 * The messy form export of endorsement-csv.ts as a real Excel workbook, as a coordinator gets it by opening
 * the form's responses in a spreadsheet and saving: the same rows (Burmese in Unicode and Zawgyi, repeats,
 * invalid rows, blank rows), with timestamps in the ways spreadsheets hold them — a date cell (a serial
 * number with a date format), a bare serial number whose format was lost, and text in the form's own
 * formats. Every timestamp is the same instant as in the CSV file, so both files import to the same rows.
 */

const ISO_Z = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;
const ISO_MINUTES = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
/** Excel's day 0 (30 December 1899) in Unix milliseconds. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

type Cell = {
  value: string | number | Date;
  type: StringConstructor | NumberConstructor | DateConstructor;
  format?: string;
} | null;

function timestampCell(text: string): Cell {
  const iso = ISO_Z.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s] = iso.map(Number) as number[];
    return {
      value: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)),
      type: Date,
      format: "dd/mm/yyyy hh:mm:ss",
    };
  }
  const minutes = ISO_MINUTES.exec(text);
  if (minutes) {
    const [, y, mo, d, h, mi] = minutes.map(Number) as number[];
    const serial = (Date.UTC(y!, mo! - 1, d!, h!, mi!) - EXCEL_EPOCH_MS) / 86_400_000;
    return { value: serial, type: Number };
  }
  return { value: text, type: String };
}

export type MessyWorkbook = MessyFile & { bytes: Buffer };

/** The file of messyEndorsementFile(valid) as .xlsx bytes (first sheet), with its expectations. */
export async function messyEndorsementWorkbook(valid: number): Promise<MessyWorkbook> {
  const file = messyEndorsementFile(valid);
  return { ...file, bytes: await workbookOf(file.header, file.body, 0) };
}

/**
 * Any header and rows as .xlsx bytes; cells of column `timestampColumn` become date cells, serial numbers
 * or text as above, the others text. An empty record becomes an empty row.
 */
export async function workbookOf(
  header: readonly string[],
  body: readonly (readonly string[])[],
  timestampColumn = -1,
): Promise<Buffer> {
  const rows: Cell[][] = [
    header.map((h) => ({ value: h, type: String })),
    ...body.map((record) =>
      record.length === 0
        ? header.map(() => null)
        : record.map((value, i) =>
            value === "" ? null : i === timestampColumn ? timestampCell(value) : { value, type: String },
          ),
    ),
  ];
  return writeXlsxFile(rows as never).toBuffer();
}
