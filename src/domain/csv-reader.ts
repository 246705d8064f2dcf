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
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  // After a closing quote only a separator or a line end may follow; text there is malformed.
  let afterQuote = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = "";
    afterQuote = false;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        afterQuote = true;
      }
      continue;
    }
    if (c === ",") {
      record.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else if (afterQuote) {
      throw new CsvSyntaxError(
        records.length + 1,
        "text after a closing quote (a quote inside a field must be doubled)",
      );
    } else if (c === '"' && field === "") {
      quoted = true;
    } else {
      // A quote inside an unquoted field (5" floppy) is kept as written, as spreadsheets read it.
      field += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(records.length + 1, "a quoted field is never closed");
  // A final line end does not start another record.
  if (field !== "" || record.length > 0 || afterQuote) endRecord();
  return records;
}
