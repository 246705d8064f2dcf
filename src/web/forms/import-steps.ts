import type { EndorsementColumn } from "../../domain/endorsement-file.ts";
import type { PlannedRow, RowOutcome } from "../../domain/endorsement-import.ts";
import type { ImportLetter } from "../../domain/endorsement-row-check.ts";
import type { ImportStatus } from "../../store/import-target.ts";
import type { ImportReport } from "../../store/imported-rows.ts";
import type { AnswerQuestion, DatesQuestion } from "./import-questions.ts";

/*
 * The console import's steps and what each carries, shared by its route (which chooses the step) and its
 * page (which shows it).
 */

export type ImportPageLetter = {
  id: number;
  campaignId: number;
  title: string;
  publicKey: string;
  settings: ImportLetter;
};

export type ImportFormValues = { status: ImportStatus; note: string };

export type ImportPreview = {
  outcomes: RowOutcome[];
  /** The rows ready to import. */
  candidates: PlannedRow[];
  /** Listed rows whose name the letter already has: the import will report them as duplicates. */
  onLetter: PlannedRow[];
  ignored: string[];
};

export type ImportStep =
  | { kind: "upload" }
  | {
      kind: "mapping";
      token: string;
      header: string[];
      picked: Partial<Record<EndorsementColumn, number>>;
      questions: { answers: AnswerQuestion[]; dates: DatesQuestion | undefined };
      preview?: ImportPreview | undefined;
    }
  | { kind: "report"; report: ImportReport }
  | { kind: "progress"; progress: ImportJobProgress };

export type ImportJobProgress = {
  rowsDone: number;
  imported: number;
  duplicates: number;
  rejected: number;
  seconds: number;
};
