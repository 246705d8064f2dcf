import {
  ANSWER_COLUMNS,
  type AnswerColumn,
  type AnswerMap,
  answersToAsk,
  CANONICAL_ANSWERS,
  guessAnswer,
} from "../../domain/answer-guesses.ts";
import type { EndorsementColumn } from "../../domain/endorsement-file.ts";
import type { PlannedRow } from "../../domain/endorsement-import.ts";
import type { DateOrder, FileDateOrder } from "../../domain/signed-at.ts";
import { toBase64 } from "../../domain/tlog/bytes.ts";
import { sealJson } from "./seal-form.ts";

/*
 * What the console's import page asks beyond the column mapping (import-file.ts): what each of a form's
 * answers means, and whether the file's undecided dates are day or month first; and the rows it posts once
 * they are answered. Text from the file goes into the page with textContent only.
 */

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The page's messages (import-page.tsx hands them over) as a translate function. */
export function translate(messages: Record<string, string>): Translate {
  return (key, params = {}) =>
    (messages[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/**
 * The answer menus of the visibility and kind columns as now mapped, each set to what the coordinator chose
 * before or else to the importer's guess (`chosen`, per column and folded answer: a canonical value, or ""
 * to reject the rows); returns the answers as chosen. Canonical answers need no menu.
 */
export function renderAnswers(
  box: HTMLElement,
  t: Translate,
  file: { header: readonly string[]; body: readonly (readonly string[])[] },
  columns: Partial<Record<EndorsementColumn, number>>,
  chosen: Map<string, string>,
  onChange: () => void,
): AnswerMap {
  box.replaceChildren();
  const answers: Record<string, Record<string, string>> = {};
  for (const column of ANSWER_COLUMNS) {
    const at = columns[column];
    if (at === undefined) continue;
    const heading = file.header[at] ?? "";
    const distinct = answersToAsk(
      column,
      file.body.map((r) => r[at] ?? ""),
    );
    if (distinct.length === 0) continue;
    const fieldset = element("fieldset", undefined, { class: "answers", "data-answer-column": column });
    fieldset.append(
      element("legend", t("import.answersColumn", { column: t(`import.column.${column}`), header: heading })),
    );
    const confirmed: Record<string, string> = {};
    distinct.forEach((answer, i) => {
      const key = `${column}\u0000${answer}`;
      if (!chosen.has(key)) chosen.set(key, guessAnswer(column, heading, answer) ?? "");
      const id = `answer-${column}-${i}`;
      const select = element("select", undefined, { id, "data-answer": answer });
      select.append(element("option", t("import.answerReject"), { value: "" }));
      for (const value of CANONICAL_ANSWERS[column as AnswerColumn]) {
        const option = element("option", t(`import.value.${value}`), { value });
        if (chosen.get(key) === value) option.selected = true;
        select.append(option);
      }
      select.addEventListener("change", () => {
        chosen.set(key, select.value);
        onChange();
      });
      const field = element("div", undefined, { class: "field" });
      field.append(element("label", t("import.answerLabel", { answer }), { for: id }), select);
      fieldset.append(field);
      if (chosen.get(key)) confirmed[answer] = chosen.get(key)!;
    });
    answers[column] = confirmed;
    box.append(fieldset);
  }
  if (box.childElementCount > 0)
    box.prepend(
      element("h3", t("import.answersTitle")),
      element("p", t("import.answersIntro"), { class: "muted" }),
    );
  return answers as AnswerMap;
}

/**
 * The day-or-month question, shown when the file leaves its dates undecided and some rows need the answer
 * (and kept once answered, so the answer can be taken back).
 */
export function renderDates(
  box: HTMLElement,
  t: Translate,
  candidates: readonly PlannedRow[],
  order: FileDateOrder,
  dates: DateOrder | undefined,
  onChange: (dates: DateOrder | undefined) => void,
): void {
  const undated = candidates.filter((c) => c.data.undatedFrom);
  box.replaceChildren();
  if (dates === undefined && (order !== "undecided" || undated.length === 0)) return;
  box.append(element("h3", t("import.datesTitle")));
  if (undated.length > 0)
    box.append(
      element(
        "p",
        t("import.datesIntro", { count: undated.length, example: undated[0]!.data.undatedFrom ?? "" }),
        { "data-dates-summary": "" },
      ),
    );
  const field = element("div", undefined, { class: "field" });
  const select = element("select", undefined, { id: "import-dates" });
  for (const value of ["undecided", "day-first", "month-first"]) {
    const option = element("option", t(`import.dates.${value}`), { value });
    if ((dates ?? "undecided") === value) option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () =>
    onChange(select.value === "undecided" ? undefined : (select.value as DateOrder)),
  );
  field.append(element("label", t("import.dates"), { for: "import-dates" }), select);
  box.append(field);
}

/**
 * The rows the page posts: listed rows' public fields with their contact sealed; undisclosed rows as two
 * sealed boxes, their kind, time and, with the coalition key open, their keyed match key.
 */
export function preparedRows(
  candidates: readonly PlannedRow[],
  publicKey: string,
  keyer: ((matchKey: string) => string) | undefined,
) {
  const contactOf = (c: PlannedRow) =>
    c.data.contact === null && c.data.email === null
      ? null
      : sealJson(
          { v: 1, contact_person: c.data.contact ?? undefined, email: c.data.email ?? undefined },
          publicKey,
        );
  return candidates.map((c) => {
    if (c.data.visibility !== "undisclosed")
      return {
        row: c.row,
        visibility: "listed",
        kind: c.data.kind,
        name: c.data.name,
        name_alt: c.data.nameAlt ?? "",
        category: c.data.category ?? "",
        country: c.data.country ?? "",
        website: c.data.website ?? "",
        signed_at: c.data.signedAt ?? "",
        undated: c.data.undatedFrom,
        contact: contactOf(c),
      };
    // The log commitment's salt, inside the sealed identity and beside it (import-sealed-signatures.ts).
    const salt = toBase64(crypto.getRandomValues(new Uint8Array(32)));
    return {
      row: c.row,
      visibility: "undisclosed",
      kind: c.data.kind,
      signed_at: c.data.signedAt ?? "",
      undated: c.data.undatedFrom,
      match: keyer?.(c.key),
      identity: sealJson(
        {
          v: 1,
          kind: c.data.kind,
          name: c.data.name,
          name_alt: c.data.nameAlt ?? undefined,
          website: c.data.website ?? undefined,
          category: c.data.category ?? undefined,
          country: c.data.country ?? undefined,
          salt,
        },
        publicKey,
      ),
      salt,
      contact: contactOf(c),
    };
  });
}
