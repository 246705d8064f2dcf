import { toCsv } from "./csv.ts";

/*
 * Endorsement files (DESIGN.md, "Interfaces that stay stable"): the canonical columns that
 * `undersigned import signatures` reads and every export writes, so an export can be imported elsewhere.
 * `name_alt` (the name in a second script) is an addition; the stable columns are never renamed.
 */
export const ENDORSEMENT_COLUMNS = [
  "name",
  "name_alt",
  "kind",
  "category",
  "country",
  "website",
  "contact",
  "email",
  "visibility",
  "signed_at",
] as const;

export type EndorsementColumn = (typeof ENDORSEMENT_COLUMNS)[number];
export type EndorsementRecord = Record<EndorsementColumn, string | null>;

export type ExportFormat = "csv" | "json";

export function serialiseEndorsements(records: readonly EndorsementRecord[], format: ExportFormat): string {
  if (format === "json") return `${JSON.stringify(records, null, 2)}\n`;
  return toCsv(
    ENDORSEMENT_COLUMNS,
    records.map((r) => ENDORSEMENT_COLUMNS.map((c) => r[c])),
  );
}
