import { AppError } from "../domain/app-error.ts";
import { type Recipient, readRecipientCsv } from "../domain/recipients.ts";
import type { MessageKey } from "../i18n/index.ts";
import type { Actor } from "../policies/actor.ts";
import { auditOnLetter } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import {
  authoriseForLetter,
  letterAddressees,
  letterForUpdate,
  recipientColumns,
} from "../store/recipient-rows.ts";

export type ImportRecipientsInput = { actor: Actor; letterId: number; csv: string };

export type RecipientImportRow = {
  record: number;
  name: string;
  outcome: "imported" | "duplicate" | "invalid";
  /** Field → message key, for invalid rows. */
  problems: Partial<Record<keyof Recipient, MessageKey>>;
};

export type RecipientImportReport = {
  rows: RecipientImportRow[];
  imported: number;
  duplicates: number;
  invalid: number;
};

const FILE_PROBLEMS: Record<"syntax" | "noName" | "empty" | "tooMany", MessageKey> = {
  syntax: "recipients.csvSyntax",
  noName: "recipients.csvNoName",
  empty: "recipients.csvEmpty",
  tooMany: "recipients.csvTooMany",
};

/** Same official, office and country (ignoring case and spacing): the same recipient. */
const sameness = (r: { name: string; office: string | null; country: string | null }) =>
  [r.name, r.office ?? "", r.country ?? ""]
    .map((s) => s.trim().replace(/\s+/g, " ").toLowerCase())
    .join("\u0000");

/**
 * Adds the recipients of a CSV file (see readRecipientCsv for its columns) and reports on every row: added,
 * already there (so importing the same file twice adds nothing), or refused with the reason per field.
 * Valid rows are added even when others are refused; a file that cannot be read at all adds nothing.
 */
export async function importRecipients(
  deps: Pick<CommandDeps, "store">,
  input: ImportRecipientsInput,
  now: Date,
): Promise<RecipientImportReport> {
  await authoriseForLetter(deps.store.db, input.actor, "recipients.manage", input.letterId);
  const file = readRecipientCsv(input.csv);
  if (!file.ok)
    throw new AppError("validation", { record: file.record ?? 0 }, { csv: FILE_PROBLEMS[file.problem] });
  const at = now.toISOString();
  const report = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await letterForUpdate(trx, deps.store.dialect, input, "recipients.manage");
    const existing = await trx
      .selectFrom("recipients")
      .select(["name", "office", "country", "position"])
      .where("letter_id", "=", letter.id)
      .execute();
    const known = new Set(existing.map(sameness));
    let position = Math.max(0, ...existing.map((r) => r.position));
    const addressees = await letterAddressees(trx, letter.id);
    const rows: RecipientImportRow[] = [];
    for (const row of file.rows) {
      if (row.outcome === "invalid") {
        rows.push({
          record: row.record,
          name: row.name,
          outcome: "invalid",
          problems: row.problems as RecipientImportRow["problems"],
        });
        continue;
      }
      const r = row.recipient;
      const key = sameness(r);
      if (known.has(key)) {
        rows.push({ record: row.record, name: r.name, outcome: "duplicate", problems: {} });
        continue;
      }
      known.add(key);
      await trx
        .insertInto("recipients")
        .values({
          ...recipientColumns(r, addressees),
          letter_id: letter.id,
          position: ++position,
          created_at: at,
          updated_at: at,
        })
        .execute();
      rows.push({ record: row.record, name: r.name, outcome: "imported", problems: {} });
    }
    const count = (outcome: RecipientImportRow["outcome"]) =>
      rows.filter((r) => r.outcome === outcome).length;
    const summary = {
      rows,
      imported: count("imported"),
      duplicates: count("duplicate"),
      invalid: count("invalid"),
    };
    await auditOnLetter(
      trx,
      input.actor,
      letter,
      {
        action: "recipient.import",
        subjectType: "letter",
        subjectId: letter.id,
        detail: { imported: summary.imported, duplicates: summary.duplicates, invalid: summary.invalid },
      },
      now,
    );
    return summary;
  });
  if (report.imported > 0) letterChanged(input.letterId);
  return report;
}
