import { CANONICAL_ANSWERS } from "../../../domain/answer-guesses.ts";
import type { MessageKey } from "../../../i18n/index.ts";
import type { AnswerQuestion, DatesQuestion } from "../../forms/import-questions.ts";
import type { PageContext } from "../layout.tsx";

/*
 * The import's questions beyond the column mapping, for the page without JavaScript (import-page.tsx's
 * mapping step; import-file.js asks the same in the page): what each of a form's answers means, each menu
 * set to the coordinator's last choice or the importer's guess, and whether undecided dates are day or
 * month first.
 */

export function ImportQuestions({
  ctx,
  answers,
  dates,
}: {
  ctx: PageContext;
  answers: AnswerQuestion[];
  dates: DatesQuestion | undefined;
}) {
  const { t } = ctx;
  return (
    <>
      {answers.length > 0 ? (
        <section class="import-answers">
          <h3>{t("import.answersTitle")}</h3>
          <p class="muted">{t("import.answersIntro")}</p>
          {answers.map((q) => (
            <fieldset class="answers" key={q.column} data-answer-column={q.column}>
              <input type="hidden" name={`answers_for_${q.column}`} value={String(q.at)} />
              <legend>
                {t("import.answersColumn", { column: t(`import.column.${q.column}`), header: q.header })}
              </legend>
              {q.answers.map((a, i) => (
                <div class="field" key={a.answer}>
                  <label for={`answer-${q.column}-${i}`}>
                    {t("import.answerLabel", { answer: a.answer })}
                  </label>
                  <select id={`answer-${q.column}-${i}`} name={`answer_${q.column}_${i}`}>
                    <option value="">{t("import.answerReject")}</option>
                    {CANONICAL_ANSWERS[q.column].map((value) => (
                      <option value={value} selected={a.chosen === value} key={value}>
                        {t(`import.value.${value}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </fieldset>
          ))}
        </section>
      ) : null}
      {dates ? (
        <section class="import-dates">
          <h3>{t("import.datesTitle")}</h3>
          {dates.undated > 0 ? (
            <p data-dates-summary>
              {t("import.datesIntro", { count: dates.undated, example: dates.example })}
            </p>
          ) : null}
          <div class="field">
            <label for="import-dates">{t("import.dates")}</label>
            <select id="import-dates" name="dates">
              {(["undecided", "day-first", "month-first"] as const).map((value) => (
                <option value={value} selected={dates.chosen === value} key={value}>
                  {t(`import.dates.${value}`)}
                </option>
              ))}
            </select>
          </div>
        </section>
      ) : null}
    </>
  );
}
