import type { SignatureKind, Visibility } from "./signature-states.ts";

/*
 * Answers as well as columns: a form export does not say "listed" or "undisclosed", it says what the form
 * asked ("Yes", "No, do not list us", "ဟုတ်ကဲ့") and in which words depends on how the question was put.
 * The importer guesses a canonical value for each distinct answer of the visibility and kind columns; the
 * coordinator confirms or corrects every guess (the console's answer menus, the CLI's --value), and only
 * confirmed answers are used. A wrong guess that publishes a name that should have stayed undisclosed is
 * the one mistake an import must not make, so nothing is imported on a guess alone.
 *
 * Yes and No mean opposite things under "List our name?" and "Keep our name private?": the header's wording
 * decides which way they go (a header that asks about hiding turns Yes into undisclosed).
 */

export const ANSWER_COLUMNS = ["visibility", "kind"] as const;
export type AnswerColumn = (typeof ANSWER_COLUMNS)[number];

/** Confirmed answers: per column, a folded answer (foldAnswer) → its canonical value. */
export type AnswerMap = { visibility?: Record<string, Visibility>; kind?: Record<string, SignatureKind> };

export const CANONICAL_ANSWERS = {
  visibility: ["listed", "undisclosed"],
  kind: ["organisation", "individual"],
} as const satisfies Record<AnswerColumn, readonly string[]>;

/** How answers are compared: case, spacing, Unicode form and trailing punctuation do not matter. */
export function foldAnswer(answer: string): string {
  return answer
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\u200b-\u200d\ufeff]/g, "")
    .replace(/\s+/g, " ")
    .replace(/[\s.!?။၊]+$/u, "")
    .trim();
}

export function isCanonicalAnswer(column: AnswerColumn, value: string): boolean {
  return (CANONICAL_ANSWERS[column] as readonly string[]).includes(value);
}

// Burmese "not" is the prefix မ (မဟုတ်, မဖော်ပြ); checked before the positive words, which it contains.
const NEGATIVE = /^(no|n|nope|false|0)\b|\b(do ?n[o']t|don't|not|never|no)\b|မဟုတ်|မဖော်ပြ|မထည့်|မပါ|မလို/u;
const AFFIRMATIVE = /^(yes|y|yeah|true|1|ok|sure|agree|i agree)\b|ဟုတ်|သဘောတူ/u;
const HIDE_WORDS =
  /undisclosed|anonym|private|confidential|hide|withh[oe]ld|secret|not (be )?(list|publish|show|disclos)|လျှို့ဝှက်|မဖော်ပြ|အမည်မဖော်/u;
const SHOW_WORDS = /\blist|publish|public|disclose|show|display|ဖော်ပြ|ထည့်သွင်း/u;
const INDIVIDUAL = /individual|person|myself|personal|ပုဂ္ဂိုလ်|တစ်ဦးချင်း|ကိုယ်ပိုင်/u;
const ORGANISATION = /organi[sz]ation|group|network|coalition|union|ngo|cso|အဖွဲ့|အသင်း|ကွန်ရက်/u;

/** The canonical value a form's answer most likely stands for, or undefined when there is no good guess. */
export function guessAnswer(column: AnswerColumn, header: string, answer: string): string | undefined {
  const folded = foldAnswer(answer);
  if (folded === "") return undefined;
  if (isCanonicalAnswer(column, folded)) return folded;
  if (folded === "organization") return "organisation";
  if (column === "kind") {
    if (INDIVIDUAL.test(folded)) return "individual";
    if (ORGANISATION.test(folded)) return "organisation";
    return undefined;
  }
  // An answer that says itself what it means ("Do not list our name", "List us publicly").
  if (HIDE_WORDS.test(folded)) return "undisclosed";
  const negative = NEGATIVE.test(folded);
  if (!negative && SHOW_WORDS.test(folded)) return "listed";
  const affirmative = !negative && AFFIRMATIVE.test(folded);
  if (!negative && !affirmative) return undefined;
  // A bare Yes/No: the question decides which way it goes.
  const asksToHide = HIDE_WORDS.test(foldAnswer(header));
  return affirmative !== asksToHide ? "listed" : "undisclosed";
}

/** Guesses for each distinct answer of a column (folded), in the order given. */
export function guessAnswers(
  column: AnswerColumn,
  header: string,
  answers: readonly string[],
): { answer: string; guess: string | undefined }[] {
  return answers.map((answer) => ({ answer, guess: guessAnswer(column, header, answer) }));
}

/**
 * The distinct non-empty answers of a column, folded, at most `limit` of them (a free-text column is not an
 * answer column; a limit keeps its memory bounded).
 */
export class DistinctAnswers {
  private readonly seen = new Map<string, string>();
  constructor(private readonly limit = ANSWER_LIMIT) {}

  note(cell: string): void {
    const folded = foldAnswer(cell);
    if (folded === "" || this.seen.has(folded) || this.seen.size >= this.limit) return;
    this.seen.set(folded, cell.trim());
  }

  /** Folded answers in the order first met. */
  list(): string[] {
    return [...this.seen.keys()];
  }
}

/** Distinct answers kept per column: more than any form's choices, few enough to list on one page. */
export const ANSWER_LIMIT = 40;

export function distinctAnswers(cells: Iterable<string>, limit = ANSWER_LIMIT): string[] {
  const distinct = new DistinctAnswers(limit);
  for (const cell of cells) distinct.note(cell);
  return distinct.list();
}

/**
 * The distinct answers of a mapped column that the coordinator is asked to give a value: all but the
 * canonical ones (and "organization", which the kind column reads as "organisation").
 */
export function answersToAsk(column: AnswerColumn, cells: Iterable<string>): string[] {
  return distinctAnswers(cells).filter(
    (a) => !isCanonicalAnswer(column, a) && !(column === "kind" && a === "organization"),
  );
}

/**
 * The answers of a column that are neither canonical nor confirmed: what the coordinator must still
 * decide before an import may run. Each comes with the importer's guess, if it has one.
 */
export function unconfirmedAnswers(
  column: AnswerColumn,
  header: string,
  answers: readonly string[],
  confirmed: AnswerMap,
): { answer: string; guess: string | undefined }[] {
  const map = (confirmed[column] ?? {}) as Record<string, string>;
  return guessAnswers(
    column,
    header,
    answers.filter((a) => !isCanonicalAnswer(column, a) && a !== "organization" && map[a] === undefined),
  );
}

/** The canonical value of one cell: canonical as typed, or as confirmed; undefined when neither. */
export function readAnswer(column: AnswerColumn, cell: string, confirmed: AnswerMap): string | undefined {
  const folded = foldAnswer(cell);
  if (isCanonicalAnswer(column, folded)) return folded;
  if (column === "kind" && folded === "organization") return "organisation";
  return ((confirmed[column] ?? {}) as Record<string, string>)[folded];
}
