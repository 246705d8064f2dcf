import { z } from "zod";
import { CsvSyntaxError, parseCsv } from "./csv-reader.ts";

/*
 * Recipients of a letter: the officials or offices it is addressed to, with the channels it reaches them by.
 * One schema serves the console form and each row of a CSV import, so both accept and refuse the same things.
 * Emails are typed as a list (commas, semicolons, spaces or line breaks between them) and stored as a JSON
 * array; each must look like an address, and the whole list is capped so one recipient cannot turn a
 * delivery into a mailing.
 */

/** How a letter reaches a recipient: the app's mail, or by hand, post or an embassy (recorded by a coordinator). */
export type DeliveryMethod = "email" | "hand" | "post" | "embassy";
export type DeliveryState = "queued" | "sent" | "deferred" | "bounced" | "failed" | "recorded";

export const RECIPIENT_LIMITS = {
  name: 300,
  office: 300,
  country: 120,
  group: 300,
  postal: 1000,
  notes: 2000,
};
export const MAX_RECIPIENT_EMAILS = 10;
/** A letter is addressed to a few dozen offices; a file of thousands is a mistake, not a recipient list. */
export const MAX_IMPORT_ROWS = 2000;

const EMAIL = z.email();

/** Splits what was typed into addresses; blank entries are dropped, duplicates kept once (case-insensitive). */
export function splitEmails(text: string): string[] {
  const seen = new Set<string>();
  const emails: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const email = part.trim();
    if (email && !seen.has(email.toLowerCase())) {
      seen.add(email.toLowerCase());
      emails.push(email);
    }
  }
  return emails;
}

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "field.tooLong")
    .optional()
    .transform((v) => v || null);

export const recipientSchema = z.object({
  name: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(RECIPIENT_LIMITS.name, "field.tooLong"),
  office: optional(RECIPIENT_LIMITS.office),
  country: optional(RECIPIENT_LIMITS.country),
  addresseeGroup: optional(RECIPIENT_LIMITS.group),
  emails: z
    .string()
    .max(MAX_RECIPIENT_EMAILS * 254, "field.tooLong")
    .optional()
    .transform((v) => splitEmails(v ?? ""))
    .refine((list) => list.length <= MAX_RECIPIENT_EMAILS, "recipients.tooManyEmails")
    .refine(
      (list) => list.every((e) => e.length <= 254 && EMAIL.safeParse(e).success),
      "recipients.badEmail",
    ),
  postalAddress: optional(RECIPIENT_LIMITS.postal),
  notes: optional(RECIPIENT_LIMITS.notes),
});

export type RecipientFields = z.input<typeof recipientSchema>;
export type Recipient = z.output<typeof recipientSchema>;

/** CSV headers each field is read from (lower-cased, spaces and dashes as underscores); the first is canonical. */
export const RECIPIENT_COLUMNS: Record<keyof Recipient, string[]> = {
  name: ["name", "official", "recipient"],
  office: ["office", "title", "position"],
  country: ["country"],
  addresseeGroup: ["addressee_group", "group"],
  emails: ["emails", "email", "e_mail"],
  postalAddress: ["postal_address", "address", "postal"],
  notes: ["notes", "note"],
};

export type RecipientRow =
  | { record: number; outcome: "valid"; recipient: Recipient }
  | { record: number; outcome: "invalid"; name: string; problems: Partial<Record<keyof Recipient, string>> };

export type RecipientFile =
  | { ok: true; rows: RecipientRow[] }
  | { ok: false; problem: "syntax" | "noName" | "empty" | "tooMany"; record?: number };

const headerKey = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/**
 * Reads a recipient list as spreadsheets export it: a header row naming the columns (in any order; unknown
 * columns are ignored), one recipient per record. Every row is checked with the form's own schema and
 * reported by its record number, so the coordinator can fix the file and import again.
 */
export function readRecipientCsv(text: string): RecipientFile {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, problem: "syntax", record: error.record };
    throw error;
  }
  const [header, ...body] = records;
  if (!header || header.every((field) => field.trim() === "")) return { ok: false, problem: "empty" };
  const isBlank = (record: string[]) => record.every((field) => field.trim() === "");
  if (body.filter((r) => !isBlank(r)).length > MAX_IMPORT_ROWS) return { ok: false, problem: "tooMany" };
  const keys = header.map(headerKey);
  const columnOf = (field: keyof Recipient) => keys.findIndex((k) => RECIPIENT_COLUMNS[field].includes(k));
  const columns = Object.fromEntries(
    (Object.keys(RECIPIENT_COLUMNS) as (keyof Recipient)[]).map((field) => [field, columnOf(field)]),
  ) as Record<keyof Recipient, number>;
  if (columns.name === -1) return { ok: false, problem: "noName" };
  const rows = body.flatMap((record, i): RecipientRow[] => {
    if (isBlank(record)) return [];
    const fields = Object.fromEntries(
      Object.entries(columns).map(([field, column]) => [
        field,
        column === -1 ? undefined : (record[column] ?? ""),
      ]),
    );
    const parsed = recipientSchema.safeParse(fields);
    // Numbered as a spreadsheet numbers its rows: the header is 1.
    const number = i + 2;
    if (parsed.success) return [{ record: number, outcome: "valid", recipient: parsed.data }];
    const problems: Partial<Record<keyof Recipient, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as keyof Recipient;
      problems[field] ??= issue.message;
    }
    return [{ record: number, outcome: "invalid", name: String(fields.name ?? "").trim(), problems }];
  });
  return { ok: true, rows };
}
