/*
 * A Google Forms export as a coalition gets it: the form's own questions as headers, Yes/No answers to
 * "listed publicly?", and timestamps from two people's exports pasted together, one in a day-first locale
 * and one in the US locale, so the file cannot settle the order of a date like 4/3/2026 by itself. Each row
 * says what it should become, so a test knows the exact outcome.
 */

export const FORMS_HEADER = [
  "Timestamp",
  "Email address",
  "Name of your organisation",
  "Country where you are based",
  "Would you like your organisation's name to be listed publicly?",
] as const;

export type FormsRow = {
  name: string;
  undisclosed: boolean;
  /** The timestamp as the export writes it. */
  timestamp: string;
  /** What the import should store: an ISO time, or null when the date is ambiguous. */
  signedAt: string | null;
};

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Row i of the form: every third organisation answers No (undisclosed). Even rows come from the day-first
 * export, odd rows from the month-first one; every fourth row falls on a day of 12 or less, which either
 * order could have written.
 */
export function formsRow(i: number): FormsRow {
  const month = 1 + (i % 9);
  const day = i % 4 === 3 ? 1 + (i % 12 === month ? 2 : i % 12) : 13 + (i % 15);
  const [h, m] = [8 + (i % 10), i % 60];
  const dayFirst = i % 2 === 0;
  const timestamp = dayFirst
    ? `${pad(day)}/${pad(month)}/2026 ${pad(h)}:${pad(m)}:00`
    : `${month}/${day}/2026 ${h}:${pad(m)}:00`;
  const ambiguous = day <= 12 && day !== month;
  return {
    name: `Organisation ${i} for Peace and Justice`,
    undisclosed: i % 3 === 0,
    timestamp,
    signedAt: ambiguous ? null : `2026-${pad(month)}-${pad(day)}T${pad(h)}:${pad(m)}:00.000Z`,
  };
}

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows `from` … `to - 1` as a CSV export; `fixed` changes one row's email (a coordinator's correction). */
export function formsExport(from: number, to: number, fixed?: number): string {
  const lines = [FORMS_HEADER.map(cell).join(",")];
  for (let i = from; i < to; i++) {
    const row = formsRow(i);
    const email = i === fixed ? `office${i}@corrected.example.org` : `office${i}@example.org`;
    lines.push(
      [row.timestamp, email, row.name, "Myanmar", row.undisclosed ? "No" : "Yes"].map(cell).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** The form's headers for the canonical columns (guessColumns finds the same). */
export const FORMS_MAP = {
  name: "Name of your organisation",
  signed_at: "Timestamp",
  email: "Email address",
  country: "Country where you are based",
  visibility: "Would you like your organisation's name to be listed publicly?",
} as const;
