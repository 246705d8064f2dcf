import { withoutFormulaGuard } from "./csv.ts";

/*
 * Reading CSV as spreadsheets and online forms write it (RFC 4180 plus what real exports do): an optional
 * UTF-8 byte-order mark (Excel writes one), CRLF or LF line ends (or both in one file after hand edits),
 * quoted fields holding commas, line breaks and doubled quotes. Written by hand because it is small and the
 * import must not depend on a parser's idea of "lenient": a quote left open is an error naming the record,
 * never a silently swallowed rest of the file.
 */

export class CsvSyntaxError extends Error {
  constructor(
    readonly record: number,
    message: string,
  ) {
    super(`record ${record}: ${message}`);
  }
}

/**
 * Splits CSV text into records of fields. Records are numbered from 1 (the header) as a spreadsheet numbers
 * its rows, whatever line breaks quoted fields contain; the numbers are what the import report cites.
 */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  const records = parser.push(text);
  records.push(...parser.end());
  return records;
}

/**
 * The same reading, a piece of text at a time, for files too large to hold: push() returns the records
 * completed by the piece (a record, or a quoted field, may span pieces), end() the last one. Only the
 * record being read is held.
 */
export class CsvParser {
  private record: string[] = [];
  private field = "";
  private quoted = false;
  // After a closing quote only a separator or a line end may follow; text there is malformed.
  private afterQuote = false;
  // A quote seen as a piece's last character: an escaped quote or a closing one, decided by the next piece.
  private pendingQuote = false;
  // A CR seen as a piece's last character: a following LF belongs to the same line end.
  private pendingCr = false;
  private started = false;
  private count = 0;

  push(piece: string): string[][] {
    const records: string[][] = [];
    let i = 0;
    if (!this.started && piece.length > 0) {
      this.started = true;
      if (piece.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCr) {
      this.pendingCr = false;
      if (piece[i] === "\n") i++;
    }
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (piece[i] === '"') {
        this.field += '"';
        i++;
      } else {
        this.quoted = false;
        this.afterQuote = true;
      }
    }
    const endRecord = () => {
      this.record.push(withoutFormulaGuard(this.field));
      records.push(this.record);
      this.count++;
      this.record = [];
      this.field = "";
      this.afterQuote = false;
    };
    for (; i < piece.length; i++) {
      const c = piece[i]!;
      if (this.quoted) {
        if (c !== '"') {
          // Plain text up to the next quote in one step: most of a quoted field.
          const next = piece.indexOf('"', i);
          const end = next === -1 ? piece.length : next;
          this.field += piece.slice(i, end);
          i = end - 1;
        } else if (i + 1 === piece.length) this.pendingQuote = true;
        else if (piece[i + 1] === '"') {
          this.field += '"';
          i++;
        } else {
          this.quoted = false;
          this.afterQuote = true;
        }
        continue;
      }
      if (c === ",") {
        this.record.push(withoutFormulaGuard(this.field));
        this.field = "";
        this.afterQuote = false;
      } else if (c === "\n" || c === "\r") {
        if (c === "\r") {
          if (i + 1 === piece.length) this.pendingCr = true;
          else if (piece[i + 1] === "\n") i++;
        }
        endRecord();
      } else if (this.afterQuote) {
        throw new CsvSyntaxError(
          this.count + 1,
          "text after a closing quote (a quote inside a field must be doubled)",
        );
      } else if (c === '"' && this.field === "") {
        this.quoted = true;
      } else {
        // A quote inside an unquoted field (5" floppy) is kept as written, as spreadsheets read it.
        this.field += c;
      }
    }
    return records;
  }

  end(): string[][] {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.quoted = false;
      this.afterQuote = true;
    }
    if (this.quoted) throw new CsvSyntaxError(this.count + 1, "a quoted field is never closed");
    // A final line end does not start another record.
    if (this.field !== "" || this.record.length > 0 || this.afterQuote) {
      this.record.push(withoutFormulaGuard(this.field));
      this.count++;
      const last = this.record;
      this.record = [];
      this.field = "";
      this.afterQuote = false;
      return [last];
    }
    return [];
  }
}
