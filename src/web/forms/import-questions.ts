import {
  ANSWER_COLUMNS,
  type AnswerColumn,
  type AnswerMap,
  answersToAsk,
  guessAnswer,
  isCanonicalAnswer,
} from "../../domain/answer-guesses.ts";
import { guessColumns } from "../../domain/column-guesses.ts";
import type { EndorsementColumn } from "../../domain/endorsement-file.ts";
import { pickColumns, planRows } from "../../domain/endorsement-import.ts";
import type { ImportLetter } from "../../domain/endorsement-row-check.ts";
import type { DateOrder } from "../../domain/signed-at.ts";
import { typed } from "./parse-form.ts";

/*
 * The import mapping form's answers without JavaScript (views/admin/import-questions.tsx): the answer menus
 * (`answer_<column>_<n>`, the n-th distinct answer of the column, `answers_for_<column>` its position) and
 * the day-or-month menu (`dates`), read back into what the import takes. An answer not yet chosen gets the
 * importer's guess, shown in its menu for the coordinator to confirm by importing.
 */

export type AnswerQuestion = {
  column: AnswerColumn;
  /** The column's position: answers chosen for another column are not carried over to this one. */
  at: number;
  header: string;
  /** Folded answers with the value chosen so far ("" rejects the rows). */
  answers: { answer: string; chosen: string }[];
};

export type DatesQuestion = { undated: number; example: string; chosen: string };

const DATES: Record<string, DateOrder> = { "day-first": "day-first", "month-first": "month-first" };

export function importQuestions(
  body: unknown,
  records: readonly (readonly string[])[],
  picked: Partial<Record<EndorsementColumn, number>>,
  letter: ImportLetter,
  now: Date,
): {
  answers: AnswerMap;
  dates: DateOrder | undefined;
  questions: { answers: AnswerQuestion[]; dates: DatesQuestion | undefined };
  /** Whether the rows as answered include an undisclosed one. */
  undisclosed: boolean;
} {
  const [header = [], ...rows] = records;
  const answers: Record<string, Record<string, string>> = {};
  const asked: AnswerQuestion[] = [];
  for (const column of ANSWER_COLUMNS) {
    const at = picked[column];
    if (at === undefined) continue;
    const sameColumn = typed(body, `answers_for_${column}`) === String(at);
    const distinct = answersToAsk(
      column,
      rows.map((r) => r[at] ?? ""),
    );
    if (distinct.length === 0) continue;
    const question: AnswerQuestion = { column, at, header: header[at] ?? "", answers: [] };
    const confirmed: Record<string, string> = {};
    distinct.forEach((answer, i) => {
      const sent = sameColumn ? typed(body, `answer_${column}_${i}`) : undefined;
      const chosen =
        sent !== undefined && (sent === "" || isCanonicalAnswer(column, sent))
          ? sent
          : (guessAnswer(column, question.header, answer) ?? "");
      question.answers.push({ answer, chosen });
      if (chosen) confirmed[answer] = chosen;
    });
    answers[column] = confirmed;
    asked.push(question);
  }
  const dates = DATES[typed(body, "dates") ?? ""];
  let undated: string[] = [];
  let undecided = false;
  let undisclosed = false;
  try {
    const plan = planRows(rows, pickColumns(header, picked).columns, letter, now, {
      dates,
      answers: answers as AnswerMap,
    });
    undated = plan.candidates.flatMap((c) => (c.data.undatedFrom ? [c.data.undatedFrom] : []));
    undecided = plan.dates === "undecided";
    undisclosed = plan.candidates.some((c) => c.data.visibility === "undisclosed");
  } catch {
    // No name column yet: the mapping step says so; there is nothing to ask about dates.
  }
  const datesQuestion =
    dates !== undefined || (undecided && undated.length > 0)
      ? { undated: undated.length, example: undated[0] ?? "", chosen: dates ?? "undecided" }
      : undefined;
  return {
    answers: answers as AnswerMap,
    dates,
    questions: { answers: asked, dates: datesQuestion },
    undisclosed,
  };
}

/**
 * Any cell that says "undisclosed", in whichever column, or an answer that reads as undisclosed in the
 * column that looks like the visibility question: the only safe test before a mapping exists.
 */
export function hasUndisclosedRow(records: readonly (readonly string[])[]): boolean {
  const [header = [], ...body] = records;
  const visibility = guessColumns(header).visibility;
  return body.some(
    (record) =>
      record.some((cell) => cell.trim().toLowerCase() === "undisclosed") ||
      (visibility !== undefined &&
        guessAnswer("visibility", header[visibility] ?? "", record[visibility] ?? "") === "undisclosed"),
  );
}
