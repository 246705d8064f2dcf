import type { SignatureKind, Signers, Visibility } from "../store/schema.ts";
import { COUNTRY_CODES, isCountryCode } from "./countries.ts";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "./endorsement-file.ts";
import { displayName } from "./names.ts";
import { FIELD_LIMITS, kindsAccepted } from "./sign-on-rules.ts";
import { type DateOrder, parseSignedAt } from "./signed-at.ts";

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

export type RowCheck = { ok: true; row: ImportRow } | { ok: false; reason: string };

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
  if (rawName === null) return { ok: false, reason: "name is empty" };
  const name = displayName(rawName);
  if (name.length > FIELD_LIMITS.name)
    return { ok: false, reason: `name is longer than ${FIELD_LIMITS.name} characters` };
  const nameAlt = cell("name_alt") === null ? null : displayName(cell("name_alt")!);
  if (nameAlt !== null && nameAlt.length > FIELD_LIMITS.name_alt)
    return { ok: false, reason: `name_alt is longer than ${FIELD_LIMITS.name_alt} characters` };

  const kinds = kindsAccepted(letter.signers);
  const rawKind = cell("kind");
  // A letter that takes one kind does not need the column, as its sign form does not ask.
  const kind = rawKind === null ? (kinds.length === 1 ? kinds[0] : undefined) : KINDS[rawKind.toLowerCase()];
  if (kind === undefined) return { ok: false, reason: 'kind must be "organisation" or "individual"' };
  if (!kinds.includes(kind)) return { ok: false, reason: `this letter does not take ${kind} endorsements` };

  const rawVisibility = cell("visibility");
  const visibility = rawVisibility === null ? "listed" : VISIBILITIES[rawVisibility.toLowerCase()];
  if (visibility === undefined) return { ok: false, reason: 'visibility must be "listed" or "undisclosed"' };
  if (visibility === "undisclosed" && !letter.allowUndisclosed)
    return { ok: false, reason: "this letter does not take undisclosed endorsements" };

  const rawCategory = cell("category");
  let category = rawCategory;
  if (rawCategory !== null && letter.categories.length > 0) {
    category = letter.categories.find((c) => c.toLowerCase() === rawCategory.toLowerCase()) ?? null;
    if (category === null)
      return { ok: false, reason: `category "${rawCategory}" is not one of ${letter.categories.join(", ")}` };
  }
  if (category !== null && category.length > FIELD_LIMITS.category)
    return { ok: false, reason: `category is longer than ${FIELD_LIMITS.category} characters` };

  const rawCountry = cell("country");
  const country = rawCountry === null ? null : (countryCode(rawCountry) ?? null);
  if (rawCountry !== null && country === null)
    return {
      ok: false,
      reason: `country "${rawCountry}" is neither an ISO code nor a country's English name`,
    };

  const rawWebsite = cell("website");
  const website = rawWebsite === null ? null : (websiteUrl(rawWebsite) ?? null);
  if (rawWebsite !== null && (website === null || website.length > FIELD_LIMITS.website))
    return { ok: false, reason: "website is not a web address" };

  const rawContact = cell("contact");
  const contact = rawContact === null ? null : displayName(rawContact);
  if (contact !== null && contact.length > FIELD_LIMITS.contact_person)
    return { ok: false, reason: `contact is longer than ${FIELD_LIMITS.contact_person} characters` };
  const email = cell("email");
  if (email !== null && (!EMAIL.test(email) || email.length > FIELD_LIMITS.email))
    return { ok: false, reason: "email is not an email address" };

  const rawSignedAt = cell("signed_at");
  const signedAt = rawSignedAt === null ? null : parseSignedAt(rawSignedAt, order, now);
  if (signedAt === undefined)
    return {
      ok: false,
      reason: `signed_at "${rawSignedAt}" is not a date and time this import reads, or is in the future`,
    };

  return {
    ok: true,
    row: { kind, visibility, name, nameAlt, category, country, website, contact, email, signedAt },
  };
}
