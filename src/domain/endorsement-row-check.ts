import { type AnswerMap, readAnswer } from "./answer-guesses.ts";
import { COUNTRY_CODES, isCountryCode } from "./countries.ts";
import type { EndorsementColumn } from "./endorsement-file.ts";
import type { Signers } from "./letter-settings.ts";
import { displayName, nameProblem } from "./names.ts";
import { FIELD_LIMITS, kindsAccepted } from "./sign-on-rules.ts";
import type { SignatureKind, Visibility } from "./signature-states.ts";
import { AMBIGUOUS, type FileDateOrder, parseSignedAt } from "./signed-at.ts";
import { normaliseWebsite } from "./website.ts";

/*
 * One row of an endorsement file (DESIGN.md, "Endorsement files") checked against the letter it goes to,
 * before anything is sealed or stored: it either becomes an ImportRow or is rejected with a reason a
 * coordinator can act on in the spreadsheet. Reading a whole file's rows is endorsement-import.ts.
 */

/** Where each canonical column sits in a file's records. */
export type ColumnIndex = Partial<Record<EndorsementColumn, number>>;

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
  /** ISO-8601 UTC, or null when the file does not say (or says ambiguously: `undatedFrom`). */
  signedAt: string | null;
  /** The file's date when it could be day-first or month-first and the order is undecided. */
  undatedFrom?: string;
};

/**
 * How a file's cells are read beyond their columns: the date order (the file's own, or the coordinator's
 * answer) and the confirmed answers of its visibility and kind columns (answer-guesses.ts).
 */
export type RowReading = { dates: FileDateOrder; answers: AnswerMap };

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
  | "nameInvalid"
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
  | "dateAmbiguous"
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

/** Checks one record against the letter, its dates and answers read as `reading` says. */
export function checkRow(
  record: readonly string[],
  columns: ColumnIndex,
  letter: ImportLetter,
  reading: RowReading,
  now: Date,
): RowCheck {
  const cell = (c: EndorsementColumn) => {
    const at = columns[c];
    const value = at === undefined ? "" : (record[at] ?? "").trim();
    return value === "" ? null : value;
  };
  const rawName = cell("name");
  if (rawName === null) return fail("nameEmpty", {}, "name is empty");
  const rawNameAlt = cell("name_alt");
  for (const raw of rawNameAlt === null ? [rawName] : [rawName, rawNameAlt]) {
    const problem = nameProblem(raw);
    if (problem === "field.required") return fail("nameEmpty", {}, "name is empty");
    if (problem)
      return fail("nameInvalid", {}, "name holds control or text-direction characters, or invalid Unicode");
  }
  const name = displayName(rawName);
  if (name.length > FIELD_LIMITS.name)
    return fail(
      "nameTooLong",
      { max: FIELD_LIMITS.name },
      `name is longer than ${FIELD_LIMITS.name} characters`,
    );
  const nameAlt = rawNameAlt === null ? null : displayName(rawNameAlt);
  if (nameAlt !== null && nameAlt.length > FIELD_LIMITS.name_alt)
    return fail(
      "nameAltTooLong",
      { max: FIELD_LIMITS.name_alt },
      `name_alt is longer than ${FIELD_LIMITS.name_alt} characters`,
    );

  const kinds = kindsAccepted(letter.signers);
  const rawKind = cell("kind");
  // A letter that takes one kind does not need the column, as its sign form does not ask.
  const kind =
    rawKind === null
      ? kinds.length === 1
        ? kinds[0]
        : undefined
      : (readAnswer("kind", rawKind, reading.answers) as SignatureKind | undefined);
  if (kind === undefined)
    return fail(
      "kind",
      { value: rawKind ?? "" },
      `kind "${rawKind ?? ""}" is neither "organisation" nor "individual", nor an answer mapped to one`,
    );
  if (!kinds.includes(kind))
    return fail("kindNotTaken", { kind }, `this letter does not take ${kind} endorsements`);

  const rawVisibility = cell("visibility");
  const visibility =
    rawVisibility === null
      ? "listed"
      : (readAnswer("visibility", rawVisibility, reading.answers) as Visibility | undefined);
  if (visibility === undefined)
    return fail(
      "visibility",
      { value: rawVisibility ?? "" },
      `visibility "${rawVisibility}" is neither "listed" nor "undisclosed", nor an answer mapped to one`,
    );
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
  const website = rawWebsite === null ? null : (normaliseWebsite(rawWebsite) ?? null);
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
  const read = rawSignedAt === null ? null : parseSignedAt(rawSignedAt, reading.dates, now);
  const signedAt = read === AMBIGUOUS ? null : read;
  if (signedAt === undefined)
    return fail(
      "signedAt",
      { value: rawSignedAt ?? "" },
      `signed_at "${rawSignedAt}" is not a date and time this import reads, or is in the future`,
    );

  return {
    ok: true,
    row: {
      kind,
      visibility,
      name,
      nameAlt,
      category,
      country,
      website,
      contact,
      email,
      signedAt,
      ...(read === AMBIGUOUS ? { undatedFrom: rawSignedAt! } : {}),
    },
  };
}
