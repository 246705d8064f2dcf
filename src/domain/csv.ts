/*
 * CSV for spreadsheet apps. Two hazards beyond quoting: a cell that starts with = + - @ (or a tab or carriage
 * return, which some apps skip before reading a formula) is run as a formula by Excel, LibreOffice and
 * Google Sheets, so a signatory named "=HYPERLINK(…)" would become a live link or worse in a journalist's
 * spreadsheet (OWASP "CSV injection"); such cells get a leading apostrophe, which the apps read as "text".
 * And Excel reads CSV without a byte-order mark as the local legacy code page, garbling Burmese, so files
 * start with one.
 */

// A value already starting with apostrophes before a formula character gets one more as well, so that
// taking one off on import gives back exactly what was exported.
const GUARDED_OR_FORMULA = /^'*[=+\-@\t\r]/;

export const UTF8_BOM = "\uFEFF";

/**
 * csvCell's guard undone: a cell read back from one of our exports (or a workbook saved from it) loses the
 * apostrophe put before its formula character, so "=1+2" re-imported is "=1+2", not "'=1+2" in the list.
 */
export function withoutFormulaGuard(cell: string): string {
  return cell.startsWith("'") && GUARDED_OR_FORMULA.test(cell.slice(1)) ? cell.slice(1) : cell;
}

export function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  if (GUARDED_OR_FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV document: header and rows, CRLF line ends (RFC 4180), with the byte-order mark. */
export function toCsv(header: readonly string[], rows: Iterable<readonly (string | null)[]>): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(row.map(csvCell).join(","));
  return `${UTF8_BOM}${lines.join("\r\n")}\r\n`;
}
