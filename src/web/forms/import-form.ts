import { z } from "zod";
import { ENDORSEMENT_COLUMNS, type EndorsementColumn } from "../../domain/endorsement-file.ts";
import { EndorsementFileUnreadable } from "../../domain/endorsement-file-reader.ts";
import type { MessageKey, Translate } from "../../i18n/index.ts";
import type { ImportRefused, ImportStatus } from "../../store/import-target.ts";
import { importQuestions } from "./import-questions.ts";
import type { ImportFormValues, ImportPageLetter, ImportStep } from "./import-steps.ts";
import { typed } from "./parse-form.ts";

/*
 * What the console import's forms send (routes/admin/import.ts): the status and note every step carries,
 * the mapping form's columns and answers, and the browser's question about the letter's names; and the
 * import's refusals in words.
 */

/** Match keys per /import/on-letter request (the browser sends more in several), and their length. */
export const ON_LETTER_BATCH = 500;
export const MAX_KEY_LENGTH = 400;
export const onLetterBody = z
  .object({
    keys: z.array(z.string().min(1).max(MAX_KEY_LENGTH)).max(ON_LETTER_BATCH),
    // Undisclosed rows' keyed match keys, computed in the browser with the coalition key open.
    keyed: z
      .array(z.string().regex(/^[0-9a-f]{64}$/))
      .max(ON_LETTER_BATCH)
      .default([]),
  })
  .refine((body) => body.keys.length + body.keyed.length <= ON_LETTER_BATCH);

const noteField = z.string().trim().max(200).optional().catch(undefined);
const statusField = z.enum(["confirmed", "approved"]).catch("confirmed");

export const FRESH: ImportFormValues = { status: "confirmed", note: "" };
export const UPLOAD: ImportStep = { kind: "upload" };

export const importValuesOf = (body: unknown): ImportFormValues => ({
  status: statusField.parse(typed(body, "status")) as ImportStatus,
  note: noteField.parse(typed(body, "note")) ?? "",
});

/** The mapping form as sent: the columns picked (within the file's) and the questions it answers. */
export function mappingOf(body: unknown, records: string[][], letter: ImportPageLetter, now: Date) {
  const header = records[0]!;
  const picked: Partial<Record<EndorsementColumn, number>> = {};
  for (const column of ENDORSEMENT_COLUMNS) {
    const value = typed(body, `map_${column}`) ?? "";
    if (/^\d{1,4}$/.test(value) && Number(value) < header.length) picked[column] = Number(value);
  }
  return { header, picked, ...importQuestions(body, records, picked, letter.settings, now) };
}

export function refusalMessage(t: Translate, error: ImportRefused | EndorsementFileUnreadable): string {
  if (error instanceof EndorsementFileUnreadable)
    return t(`import.file.${error.code}` as MessageKey, error.params);
  if (error.code === "file") return t("import.refused.file", { detail: error.message });
  return t(`import.refused.${error.code}` as MessageKey);
}
