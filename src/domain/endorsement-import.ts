import type { AnswerMap } from "./answer-guesses.ts";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "./endorsement-file.ts";
import {
  type ColumnIndex,
  checkRow,
  type ImportLetter,
  type ImportRow,
  type RowProblem,
  type RowProblemCode,
  type RowReading,
  rowProblem,
} from "./endorsement-row-check.ts";
import { matchKey } from "./names.ts";
import { dateOrderOf, type FileDateOrder } from "./signed-at.ts";

/*
 * The rows of an endorsement file (DESIGN.md, "Endorsement files") checked against the letter they go to,
 * before anything is sealed or stored. Headers are matched to the canonical columns case-insensitively;
 * `--map column=Header` names the header of a form export that holds a canonical column ("Organisation
 * name" → name). Columns that map to nothing (a form's other questions) are ignored and reported. Each row
 * is checked by endorsement-row-check.ts; what this file adds is the file as a whole: names repeated
 * within it, and each row's outcome for the report.
 */

export class EndorsementFileError extends Error {}

export function isEndorsementColumn(value: string): value is EndorsementColumn {
  return (ENDORSEMENT_COLUMNS as readonly string[]).includes(value);
}

/** Where each canonical column sits in the header; throws when a mapping or the name column is missing. */
export function mapColumns(
  header: readonly string[],
  map: Partial<Record<EndorsementColumn, string>>,
): { columns: ColumnIndex; ignored: string[] } {
  const fold = (s: string) => s.trim().toLowerCase();
  const positions = new Map<string, number>();
  header.forEach((h, i) => {
    if (!positions.has(fold(h))) positions.set(fold(h), i);
  });
  const columns: ColumnIndex = {};
  for (const column of ENDORSEMENT_COLUMNS) {
    const wanted = map[column];
    const at = positions.get(fold(wanted ?? column));
    if (wanted !== undefined && at === undefined)
      throw new EndorsementFileError(`--map ${column}="${wanted}": the file has no column "${wanted}"`);
    if (at !== undefined) columns[column] = at;
  }
  if (columns.name === undefined)
    throw new EndorsementFileError('the file has no "name" column (use --map name="Your header")');
  const used = new Set(Object.values(columns));
  return { columns, ignored: header.filter((h, i) => !used.has(i) && h.trim() !== "") };
}

/**
 * What became of one row of a file; `code` and `params` as in RowProblem when it was not imported, or for
 * an imported row, what the coordinator should know of it (dateAmbiguous: imported without its date).
 */
export type RowOutcome = {
  row: number;
  outcome: "imported" | "duplicate" | "rejected";
  reason?: string;
  code?: RowProblemCode;
  params?: Record<string, string | number>;
};

export function outcomeOf(row: number, outcome: RowOutcome["outcome"], problem: RowProblem): RowOutcome {
  return { row, outcome, reason: problem.reason, code: problem.code, params: problem.params };
}

/** An imported row's outcome: with a note when its date was left out as ambiguous. */
export function importedOutcome(row: number, undatedFrom: string | undefined): RowOutcome {
  return undatedFrom === undefined
    ? { row, outcome: "imported" }
    : outcomeOf(row, "imported", undatedNote(undatedFrom));
}

export function undatedNote(value: string): RowProblem {
  return rowProblem(
    "dateAmbiguous",
    { value },
    `imported without a date: "${value}" could be day-first or month-first (answer with --dates dmy|mdy)`,
  );
}

/** A row that passed the checks and repeats no earlier row of the file; `key` is compared in memory only. */
export type PlannedRow = { row: number; data: ImportRow; key: string };

/**
 * Checks every record of a file's body against the letter and drops names repeated within the file: the
 * part of an import that needs no database, shared by the command and by the console's preview (on the
 * server, or in the coordinator's browser when the file has undisclosed rows). Rows are numbered as a
 * spreadsheet numbers them, the header being row 1; blank rows are skipped without a report line.
 */
export function planRows(
  body: readonly (readonly string[])[],
  columns: ColumnIndex,
  letter: ImportLetter,
  now: Date,
  answers: { dates?: FileDateOrder | undefined; answers?: AnswerMap } = {},
): { outcomes: RowOutcome[]; candidates: PlannedRow[]; dates: FileDateOrder } {
  const signedAtColumn = columns.signed_at;
  const dates =
    answers.dates ??
    dateOrderOf(signedAtColumn === undefined ? [] : body.map((r) => r[signedAtColumn] ?? ""));
  const outcomes: RowOutcome[] = [];
  const candidates: PlannedRow[] = [];
  const plan = rowPlanner(columns, letter, { dates, answers: answers.answers ?? {} }, now);
  body.forEach((record, i) => {
    const planned = plan(record, i + 2);
    if (planned === null) return;
    if ("outcome" in planned) outcomes.push(planned);
    else candidates.push(planned);
  });
  return { outcomes, candidates, dates };
}

/**
 * planRows one record at a time, for a file read as a stream: each call checks one record (its spreadsheet
 * row number given) and remembers its name's match key so a later repeat is found. Those keys, one per
 * distinct name and in memory only, are all it keeps; an undisclosed row's key never leaves it.
 */
export function rowPlanner(
  columns: ColumnIndex,
  letter: ImportLetter,
  reading: RowReading,
  now: Date,
): (record: readonly string[], row: number) => PlannedRow | RowOutcome | null {
  const firstRowOf = new Map<string, number>();
  return (record, row) => {
    if (record.every((cell) => cell.trim() === "")) return null;
    const check = checkRow(record, columns, letter, reading, now);
    if (!check.ok) return outcomeOf(row, "rejected", check);
    const key = matchKey(check.row.name);
    const first = firstRowOf.get(key);
    if (first !== undefined)
      return outcomeOf(row, "duplicate", rowProblem("repeats", { row: first }, `repeats row ${first}`));
    firstRowOf.set(key, row);
    return { row, data: check.row, key };
  };
}

/**
 * Columns chosen by position (the console's mapping form, where headers may repeat or be blank): checked
 * against the header like mapColumns, and the same unused headers reported.
 */
export function pickColumns(
  header: readonly string[],
  picked: Partial<Record<EndorsementColumn, number>>,
): { columns: ColumnIndex; ignored: string[] } {
  const columns: ColumnIndex = {};
  for (const column of ENDORSEMENT_COLUMNS) {
    const at = picked[column];
    if (at === undefined) continue;
    if (!Number.isInteger(at) || at < 0 || at >= header.length)
      throw new EndorsementFileError(`${column}: the file has no column ${at + 1}`);
    columns[column] = at;
  }
  if (columns.name === undefined) throw new EndorsementFileError('no column is chosen for "name"');
  const used = new Set(Object.values(columns));
  return { columns, ignored: header.filter((h, i) => !used.has(i) && h.trim() !== "") };
}

/**
 * The match keys a preview may look up in the database: those of listed rows only. An undisclosed row's
 * name never leaves where the file is read, and neither does its key, which is derived from the name.
 */
export function listedKeys(candidates: readonly PlannedRow[]): string[] {
  return candidates.flatMap((c) => (c.data.visibility === "listed" ? [c.key] : []));
}

/**
 * Sets apart the listed rows whose name the letter already has (`held`: the match keys found by
 * heldMatchKeys, the import's own rule), which the import reports as duplicates ("onLetter"); the rest are
 * ready. Undisclosed rows are always ready: they are never compared with the letter by key.
 */
export function setApartOnLetter(
  candidates: readonly PlannedRow[],
  held: ReadonlySet<string>,
): { ready: PlannedRow[]; onLetter: PlannedRow[] } {
  const ready: PlannedRow[] = [];
  const onLetter: PlannedRow[] = [];
  for (const c of candidates) (c.data.visibility === "listed" && held.has(c.key) ? onLetter : ready).push(c);
  return { ready, onLetter };
}
