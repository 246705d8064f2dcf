import { COUNTRY_CODES, isCountryCode } from "./countries.ts";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "./endorsement-file.ts";
import type { Signers } from "./letter-settings.ts";
import { displayName, matchKey } from "./names.ts";
import { FIELD_LIMITS, kindsAccepted } from "./sign-on-rules.ts";
import type { SignatureKind, Visibility } from "./signature-states.ts";
import { type DateOrder, dateOrderOf, parseSignedAt } from "./signed-at.ts";

/*
 * The rows of an endorsement file (DESIGN.md, "Endorsement files") checked against the letter they go to,
 * before anything is sealed or stored. Headers are matched to the canonical columns case-insensitively;
 * `--map column=Header` names the header of a form export that holds a canonical column ("Organisation
 * name" → name). Columns that map to nothing (a form's other questions) are ignored and reported. Each row
 * either becomes an ImportRow or is rejected with a reason a coordinator can act on in the spreadsheet.
 */

export class EndorsementFileError extends Error {}

export type ColumnIndex = Partial<Record<EndorsementColumn, number>>;

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

export type ImportLetter = { signers: Signers; allowUndisclosed: boolean; categories: readonly string[] };

export type ImportRow = {
  kind: SignatureKind;
  visibility: Visibility;
  name: string;
  nameAlt: string | null;
  category: string | null;
  country: string | null;
  website: string | null;
  contact: string | null;
  email: string | null;
  /** ISO-8601 UTC, or null when the file does not say. */
  signedAt: string | null;
};

/**
 * Why a row is not imported, for people: `reason` in English (the CLI's report), `code` and `params` for the
 * console, which shows the message `import.problem.<code>` in the coordinator's language.
 */
export type RowProblem = {
  code: RowProblemCode;
  params: Record<string, string | number>;
  reason: string;
};

export type RowProblemCode =
  | "nameEmpty"
  | "nameTooLong"
  | "nameAltTooLong"
  | "kind"
  | "kindNotTaken"
  | "visibility"
  | "undisclosedNotTaken"
  | "category"
  | "categoryTooLong"
  | "country"
  | "website"
  | "contactTooLong"
  | "email"
  | "signedAt"
  | "repeats"
  | "onLetter"
  | "fileImported";

export type RowCheck = { ok: true; row: ImportRow } | ({ ok: false } & RowProblem);

export function rowProblem(
  code: RowProblemCode,
  params: Record<string, string | number>,
  reason: string,
): RowProblem {
  return { code, params, reason };
}

function fail(code: RowProblemCode, params: Record<string, string | number>, reason: string): RowCheck {
  return { ok: false, code, params, reason };
}

const KINDS: Record<string, SignatureKind> = {
  organisation: "organisation",
  organization: "organisation",
  individual: "individual",
};
const VISIBILITIES: Record<string, Visibility> = { listed: "listed", undisclosed: "undisclosed" };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

let countriesByName: Map<string, string> | undefined;

/** A country as a code (MM) or as its English name (Myanmar, as forms' drop-downs write it). */
function countryCode(value: string): string | undefined {
  const upper = value.toUpperCase();
  if (isCountryCode(upper)) return upper;
  if (!countriesByName) {
    const names = new Intl.DisplayNames(["en"], { type: "region" });
    countriesByName = new Map(COUNTRY_CODES.map((code) => [names.of(code)!.toLowerCase(), code]));
    // ICU names some countries with a gloss ("Myanmar (Burma)"); forms write the name alone.
    for (const [name, code] of [...countriesByName]) {
      const bare = name.replace(/\s*\(.*\)$/, "");
      if (bare !== name && !countriesByName.has(bare)) countriesByName.set(bare, code);
    }
    countriesByName.set("burma", "MM");
  }
  return countriesByName.get(value.toLowerCase());
}

/** An http(s) URL as the sign form stores it ("example.org" becomes https://example.org). */
function websiteUrl(value: string): string | undefined {
  const url = /^https?:\/\//i.test(value) ? value : `https://${value}`;
  try {
    const parsed = new URL(url);
    return parsed.hostname.includes(".") ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one record against the letter; `order` is the file's date order (signed-at.ts). */
export function checkRow(
  record: readonly string[],
  columns: ColumnIndex,
  letter: ImportLetter,
  order: DateOrder,
  now: Date,
): RowCheck {
  const cell = (c: EndorsementColumn) => {
    const at = columns[c];
    const value = at === undefined ? "" : (record[at] ?? "").trim();
    return value === "" ? null : value;
  };
  const rawName = cell("name");
  if (rawName === null) return fail("nameEmpty", {}, "name is empty");
  const name = displayName(rawName);
  if (name.length > FIELD_LIMITS.name)
    return fail(
      "nameTooLong",
      { max: FIELD_LIMITS.name },
      `name is longer than ${FIELD_LIMITS.name} characters`,
    );
  const nameAlt = cell("name_alt") === null ? null : displayName(cell("name_alt")!);
  if (nameAlt !== null && nameAlt.length > FIELD_LIMITS.name_alt)
    return fail(
      "nameAltTooLong",
      { max: FIELD_LIMITS.name_alt },
      `name_alt is longer than ${FIELD_LIMITS.name_alt} characters`,
    );

  const kinds = kindsAccepted(letter.signers);
  const rawKind = cell("kind");
  // A letter that takes one kind does not need the column, as its sign form does not ask.
  const kind = rawKind === null ? (kinds.length === 1 ? kinds[0] : undefined) : KINDS[rawKind.toLowerCase()];
  if (kind === undefined) return fail("kind", {}, 'kind must be "organisation" or "individual"');
  if (!kinds.includes(kind))
    return fail("kindNotTaken", { kind }, `this letter does not take ${kind} endorsements`);

  const rawVisibility = cell("visibility");
  const visibility = rawVisibility === null ? "listed" : VISIBILITIES[rawVisibility.toLowerCase()];
  if (visibility === undefined) return fail("visibility", {}, 'visibility must be "listed" or "undisclosed"');
  if (visibility === "undisclosed" && !letter.allowUndisclosed)
    return fail("undisclosedNotTaken", {}, "this letter does not take undisclosed endorsements");

  const rawCategory = cell("category");
  let category = rawCategory;
  if (rawCategory !== null && letter.categories.length > 0) {
    category = letter.categories.find((c) => c.toLowerCase() === rawCategory.toLowerCase()) ?? null;
    if (category === null)
      return fail(
        "category",
        { value: rawCategory, list: letter.categories.join(", ") },
        `category "${rawCategory}" is not one of ${letter.categories.join(", ")}`,
      );
  }
  if (category !== null && category.length > FIELD_LIMITS.category)
    return fail(
      "categoryTooLong",
      { max: FIELD_LIMITS.category },
      `category is longer than ${FIELD_LIMITS.category} characters`,
    );

  const rawCountry = cell("country");
  const country = rawCountry === null ? null : (countryCode(rawCountry) ?? null);
  if (rawCountry !== null && country === null)
    return fail(
      "country",
      { value: rawCountry },
      `country "${rawCountry}" is neither an ISO code nor a country's English name`,
    );

  const rawWebsite = cell("website");
  const website = rawWebsite === null ? null : (websiteUrl(rawWebsite) ?? null);
  if (rawWebsite !== null && (website === null || website.length > FIELD_LIMITS.website))
    return fail("website", {}, "website is not a web address");

  const rawContact = cell("contact");
  const contact = rawContact === null ? null : displayName(rawContact);
  if (contact !== null && contact.length > FIELD_LIMITS.contact_person)
    return fail(
      "contactTooLong",
      { max: FIELD_LIMITS.contact_person },
      `contact is longer than ${FIELD_LIMITS.contact_person} characters`,
    );
  const email = cell("email");
  if (email !== null && (!EMAIL.test(email) || email.length > FIELD_LIMITS.email))
    return fail("email", {}, "email is not an email address");

  const rawSignedAt = cell("signed_at");
  const signedAt = rawSignedAt === null ? null : parseSignedAt(rawSignedAt, order, now);
  if (signedAt === undefined)
    return fail(
      "signedAt",
      { value: rawSignedAt ?? "" },
      `signed_at "${rawSignedAt}" is not a date and time this import reads, or is in the future`,
    );

  return {
    ok: true,
    row: { kind, visibility, name, nameAlt, category, country, website, contact, email, signedAt },
  };
}

/** What became of one row of a file; `code` and `params` as in RowProblem when it was not imported. */
export type RowOutcome = {
  row: number;
  outcome: "imported" | "duplicate" | "rejected";
  reason?: string;
  code?: RowProblemCode;
  params?: Record<string, string | number>;
};

export function outcomeOf(row: number, outcome: "duplicate" | "rejected", problem: RowProblem): RowOutcome {
  return { row, outcome, reason: problem.reason, code: problem.code, params: problem.params };
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
): { outcomes: RowOutcome[]; candidates: PlannedRow[] } {
  const signedAtColumn = columns.signed_at;
  const order = dateOrderOf(signedAtColumn === undefined ? [] : body.map((r) => r[signedAtColumn] ?? ""));
  const outcomes: RowOutcome[] = [];
  const candidates: PlannedRow[] = [];
  const plan = rowPlanner(columns, letter, order, now);
  body.forEach((record, i) => {
    const planned = plan(record, i + 2);
    if (planned === null) return;
    if ("outcome" in planned) outcomes.push(planned);
    else candidates.push(planned);
  });
  return { outcomes, candidates };
}

/**
 * planRows one record at a time, for a file read as a stream: each call checks one record (its spreadsheet
 * row number given) and remembers its name's match key so a later repeat is found. Those keys, one per
 * distinct name and in memory only, are all it keeps; an undisclosed row's key never leaves it.
 */
export function rowPlanner(
  columns: ColumnIndex,
  letter: ImportLetter,
  order: DateOrder,
  now: Date,
): (record: readonly string[], row: number) => PlannedRow | RowOutcome | null {
  const firstRowOf = new Map<string, number>();
  return (record, row) => {
    if (record.every((cell) => cell.trim() === "")) return null;
    const check = checkRow(record, columns, letter, order, now);
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
