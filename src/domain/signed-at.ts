/*
 * When an imported endorsement was given, from the timestamp column of a form export or spreadsheet. Accepted:
 *
 * - ISO 8601: 2026-03-01, 2026-03-01T09:05, 2026-03-01T09:05:07Z, with an offset (+06:30) or fraction;
 * - YYYY-MM-DD HH:MM[:SS] (spreadsheets, databases);
 * - A/B/YYYY [H:MM[:SS]] with / . or - between the date parts: Google Forms writes DD/MM/YYYY HH:MM:SS in
 *   most locales and M/D/YYYY H:MM:SS in the US one;
 * - an Excel serial date (46082.37847: days since 30 December 1899, the fraction the time of day), as a
 *   spreadsheet cell holds a date when its date format was lost in copying.
 *
 * The ambiguous case (A and B both at most 12, and different) is settled per file, and only when the file
 * itself settles it: if some row has A > 12 (only day-first allows it) and none has B > 12, the file is
 * day-first; the other way round, month-first. A file with evidence both ways (several forms' exports pasted
 * together) or none at all is "undecided": its ambiguous rows are not guessed, because a guess swaps day and
 * month silently in every row it gets wrong. The coordinator answers (the console's question, the CLI's
 * --dates dmy|mdy), or the ambiguous rows are imported without a date and reported. An unambiguous row is
 * always read the only way it can be.
 * Times without an offset are read as UTC: form exports carry no zone, and a consistent rule beats a guess
 * of the machine's zone. A year below 2000 or a date in the future is refused as a typo.
 */

export type DateOrder = "day-first" | "month-first";
/** A file's order: decided by its rows or by the coordinator, or undecided. */
export type FileDateOrder = DateOrder | "undecided";
/** What parseSignedAt says of a date that could be read either way while the order is undecided. */
export const AMBIGUOUS = "ambiguous";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;
/** Day 0 of Excel's (1900) date system, in Unix milliseconds: 30 December 1899. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;

/** The order the file's slashed dates use, decided from the rows that are unambiguous (rule above). */
export function dateOrderOf(values: Iterable<string>): FileDateOrder {
  const evidence = new DateOrderEvidence();
  for (const value of values) evidence.note(value);
  return evidence.order();
}

/**
 * The same decision gathered a value at a time, for a file read as a stream: what is kept is two flags,
 * whatever the number of rows.
 */
export class DateOrderEvidence {
  private dayFirst = false;
  private monthFirst = false;

  note(value: string): void {
    if (this.dayFirst && this.monthFirst) return;
    const m = SLASHED.exec(value.trim());
    if (!m) return;
    if (Number(m[1]) > 12) this.dayFirst = true;
    if (Number(m[2]) > 12) this.monthFirst = true;
  }

  order(): FileDateOrder {
    if (this.monthFirst === this.dayFirst) return "undecided";
    return this.monthFirst ? "month-first" : "day-first";
  }
}

/**
 * The timestamp as an ISO-8601 UTC string; AMBIGUOUS when the order is undecided and the date could be read
 * either way (both readings valid); undefined when it is not a valid time in a format above.
 */
export function parseSignedAt(
  raw: string,
  order: FileDateOrder,
  now: Date,
): string | typeof AMBIGUOUS | undefined {
  const value = raw.trim();
  if (EXCEL_SERIAL.test(value)) {
    // Rounded to the second: serials carry binary fractions (09:05 is 0.378472…).
    const at = new Date(Math.round((EXCEL_EPOCH_MS + Number(value) * DAY_MS) / 1000) * 1000);
    return at.getUTCFullYear() < 2000 || at.getTime() > now.getTime() ? undefined : at.toISOString();
  }
  let parts:
    | { y: number; mo: number; d: number; h: number; mi: number; s: number; offset: number }
    | undefined;
  const iso = ISO.exec(value);
  if (iso) {
    parts = {
      y: Number(iso[1]),
      mo: Number(iso[2]),
      d: Number(iso[3]),
      h: Number(iso[4] ?? 0),
      mi: Number(iso[5] ?? 0),
      s: Number(iso[6] ?? 0),
      offset: offsetMinutes(iso[7]),
    };
  } else {
    const m = SLASHED.exec(value);
    if (!m) return undefined;
    const [a, b] = [Number(m[1]), Number(m[2])];
    // An unambiguous row is read the only way it can be, whatever the file's order.
    if (a <= 12 && b <= 12 && a !== b && order === "undecided") {
      // Where one reading is impossible (in the future), the other is the only one.
      const readings = [parseSignedAt(value, "day-first", now), parseSignedAt(value, "month-first", now)];
      const valid = readings.filter((r) => r !== undefined);
      return valid.length === 2 ? AMBIGUOUS : valid[0];
    }
    const dayFirst = a > 12 ? true : b > 12 ? false : order === "day-first";
    let h = Number(m[4] ?? 0);
    const meridiem = m[7]?.toUpperCase();
    if (meridiem) {
      if (h < 1 || h > 12) return undefined;
      h = (h % 12) + (meridiem === "PM" ? 12 : 0);
    }
    parts = {
      y: Number(m[3]),
      mo: dayFirst ? b : a,
      d: dayFirst ? a : b,
      h,
      mi: Number(m[5] ?? 0),
      s: Number(m[6] ?? 0),
      offset: 0,
    };
  }
  const { y, mo, d, h, mi, s } = parts;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const date = new Date(utc);
  // Date.UTC rolls 31/02 over into March; a rolled date was not a real one.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  const at = new Date(utc - parts.offset * 60_000);
  if (y < 2000 || at.getTime() > now.getTime()) return undefined;
  return at.toISOString();
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const digits = zone.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits[0] === "-" ? -minutes : minutes;
}
