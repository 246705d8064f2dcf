import { countryName } from "../../../domain/countries.ts";
import { ENDORSEMENT_COLUMNS } from "../../../domain/endorsement-file.ts";
import type { PlannedRow, RowOutcome } from "../../../domain/endorsement-import.ts";
import { en } from "../../../i18n/en.ts";
import { formatNumber, type MessageKey } from "../../../i18n/index.ts";
import type {
  ImportFormValues,
  ImportPageLetter,
  ImportPreview,
  ImportStep,
} from "../../forms/import-steps.ts";
import { assetUrl } from "../../http/static-assets.ts";
import type { SessionUser } from "../../session.ts";
import { Notice, PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { ImportQuestions } from "./import-questions.tsx";
import {
  OutcomeTable,
  PROBLEM_ROWS_SHOWN,
  PROGRESS_REFRESH_S,
  ProgressStep,
  ReportStep,
} from "./import-report.tsx";
import { LetterTabs } from "./letter-tabs.tsx";
import { KeyLoader } from "./review-queue-page.tsx";

/*
 * The console's import page, in three steps: choose a file, say which column holds what (with a preview of
 * each row's fate), read the report. Without JavaScript each step is a server round trip, and the server
 * keeps the uploaded file (listed rows only: one with undisclosed rows is refused and discarded) for the
 * mapping step. With JavaScript, import-file.js takes the same upload form over: the file is read, mapped,
 * previewed and sealed in the browser, and only the prepared rows are posted (the "rows" form below), so an
 * undisclosed row never reaches the server in the clear. Its text is only ever put into the page with
 * textContent.
 */

/** Accepted uploads: CSV and XLSX, by extension and type (phones often give neither reliably). */
const ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const SAMPLE_ROWS = 10;

export function ImportPage({
  ctx,
  user,
  letter,
  step,
  values,
  problem,
  notice,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: ImportPageLetter;
  step: ImportStep;
  values: ImportFormValues;
  problem?: string | undefined;
  notice?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <ConsoleLayout
      ctx={ctx}
      user={user}
      title={t("import.title", { title: letter.title })}
      head={
        step.kind === "progress" ? <meta http-equiv="refresh" content={String(PROGRESS_REFRESH_S)} /> : null
      }
    >
      <LetterTabs ctx={ctx} user={user} letter={letter} current="/import" />
      <h1>{t("import.title", { title: letter.title })}</h1>
      <Notice message={notice} />
      <Problem message={problem} />
      {step.kind === "upload" ? <UploadStep ctx={ctx} letter={letter} values={values} /> : null}
      {step.kind === "mapping" ? <MappingStep ctx={ctx} letter={letter} step={step} values={values} /> : null}
      {step.kind === "report" ? <ReportStep ctx={ctx} letter={letter} report={step.report} /> : null}
      {step.kind === "progress" ? <ProgressStep ctx={ctx} progress={step.progress} /> : null}
    </ConsoleLayout>
  );
}

function UploadStep({
  ctx,
  letter,
  values,
}: {
  ctx: PageContext;
  letter: ImportPageLetter;
  values: ImportFormValues;
}) {
  const { t } = ctx;
  const base = `/admin/letters/${letter.id}`;
  return (
    <>
      <p>{t("import.intro")}</p>
      <form
        method="post"
        action={`${base}/import`}
        enctype="multipart/form-data"
        class="stack"
        novalidate
        id="import-upload"
      >
        <input type="hidden" name="_csrf" value={ctx.csrfToken ?? ""} />
        <p class="muted" data-without-script>
          {t("import.undisclosedWarning")}
        </p>
        <p class="muted" data-with-script hidden>
          {t("import.scriptOn")}
        </p>
        <div class="field">
          <label for="import-file">{t("import.file")}</label>
          <input id="import-file" type="file" name="file" accept={ACCEPT} required />
        </div>
        <div class="actions">
          <button type="submit">{t("import.upload")}</button>
        </div>
        <p role="status" aria-live="polite" data-import-status />
      </form>
      <KeyLoader
        ctx={ctx}
        publicKey={letter.publicKey}
        matchSecret={{ title: t("import.keyTitle"), intro: t("import.keyIntro") }}
      />
      <BrowserImportForm ctx={ctx} letter={letter} values={values} />
      <script type="module" src={assetUrl("admin/import-file.js")} />
    </>
  );
}

/**
 * The form the script fills and sends: the mapping menus and the preview are built in the page, and only
 * the hidden `payload` (listed rows' public fields, sealed boxes, row numbers) goes to the server.
 */
function BrowserImportForm({
  ctx,
  letter,
  values,
}: {
  ctx: PageContext;
  letter: ImportPageLetter;
  values: ImportFormValues;
}) {
  const { t } = ctx;
  return (
    <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/import/rows`} class="stack import-browser">
      <div
        id="import-browser"
        hidden
        data-public-key={letter.publicKey}
        data-letter={JSON.stringify(letter.settings)}
        data-messages={JSON.stringify(browserMessages(ctx))}
        data-on-letter-url={`/admin/letters/${letter.id}/import/on-letter`}
        data-letter-id={String(letter.id)}
      >
        <h2>{t("import.mappingTitle")}</h2>
        <p class="muted">{t("import.mappingIntro")}</p>
        <div class="mapping" data-mapping />
        <section class="import-answers" data-answers aria-live="polite" />
        <section class="import-dates" data-dates />
        <section data-preview aria-live="polite" />
        <input type="hidden" name="payload" value="" />
        <ImportOptions ctx={ctx} values={values} />
        <div class="actions">
          <button type="submit" data-import-rows>
            {t("import.import")}
          </button>
        </div>
      </div>
    </PostForm>
  );
}

/** Every message import-file.js shows, in the page's language (it has no catalogue of its own). */
function browserMessages(ctx: PageContext): Record<string, string> {
  const wanted = (key: string) =>
    key.startsWith("import.") || key === "review.listed" || key === "review.undisclosed";
  return Object.fromEntries((Object.keys(en) as MessageKey[]).filter(wanted).map((key) => [key, ctx.t(key)]));
}

function ImportOptions({ ctx, values }: { ctx: PageContext; values: ImportFormValues }) {
  const { t } = ctx;
  return (
    <>
      <fieldset class="field">
        <legend>{t("import.status")}</legend>
        <label>
          <input type="radio" name="status" value="confirmed" checked={values.status === "confirmed"} />{" "}
          {t("import.statusConfirmed")}
        </label>
        <label>
          <input type="radio" name="status" value="approved" checked={values.status === "approved"} />{" "}
          {t("import.statusApproved")}
        </label>
      </fieldset>
      <div class="field">
        <label for="import-note">{t("import.note")}</label>
        <span id="import-note-hint" class="muted">
          {t("import.noteHint")}
        </span>
        <input
          id="import-note"
          type="text"
          name="note"
          maxLength={200}
          value={values.note}
          aria-describedby="import-note-hint"
        />
      </div>
    </>
  );
}

function MappingStep({
  ctx,
  letter,
  step,
  values,
}: {
  ctx: PageContext;
  letter: ImportPageLetter;
  step: Extract<ImportStep, { kind: "mapping" }>;
  values: ImportFormValues;
}) {
  const { t } = ctx;
  return (
    <PostForm ctx={ctx} action={`/admin/letters/${letter.id}/import/mapping`} class="stack">
      <input type="hidden" name="token" value={step.token} />
      <h2>{t("import.mappingTitle")}</h2>
      <p class="muted">{t("import.mappingIntro")}</p>
      <div class="mapping">
        {ENDORSEMENT_COLUMNS.map((column) => (
          <div class="field" key={column}>
            <label for={`map-${column}`}>{t(`import.column.${column}`)}</label>
            <select id={`map-${column}`} name={`map_${column}`}>
              <option value="">{t("import.notInFile")}</option>
              {step.header.map((header, i) => (
                <option value={String(i)} selected={step.picked[column] === i} key={String(i)}>
                  {t("import.columnOption", { n: i + 1, header })}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <ImportQuestions ctx={ctx} answers={step.questions.answers} dates={step.questions.dates} />
      {step.preview ? <Preview ctx={ctx} preview={step.preview} /> : null}
      <ImportOptions ctx={ctx} values={values} />
      <div class="actions">
        <button type="submit" name="step" value="preview" class="secondary">
          {t("import.preview")}
        </button>{" "}
        <button type="submit" name="step" value="import">
          {t("import.import")}
        </button>
      </div>
    </PostForm>
  );
}

function Preview({ ctx, preview }: { ctx: PageContext; preview: ImportPreview }) {
  const { t, locale } = ctx;
  const count = (outcome: RowOutcome["outcome"]) =>
    preview.outcomes.filter((o) => o.outcome === outcome).length;
  const problems = preview.outcomes.slice(0, PROBLEM_ROWS_SHOWN);
  return (
    <section class="import-preview" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">{t("import.previewTitle")}</h2>
      <p>
        {t("import.previewSummary", {
          ready: formatNumber(locale, preview.candidates.length),
          undisclosed: formatNumber(
            locale,
            preview.candidates.filter((c) => c.data.visibility === "undisclosed").length,
          ),
          duplicates: formatNumber(locale, count("duplicate")),
          rejected: formatNumber(locale, count("rejected")),
        })}{" "}
        <span data-on-letter-summary>
          {t("import.onLetterSummary", { count: formatNumber(locale, preview.onLetter.length) })}
        </span>{" "}
        {t("import.previewLater")}
      </p>
      {preview.ignored.length > 0 ? (
        <p class="muted">{t("import.ignored", { columns: preview.ignored.join(", ") })}</p>
      ) : null}
      <OutcomeTable ctx={ctx} outcomes={problems} />
      <OnLetterTable ctx={ctx} rows={preview.onLetter.slice(0, PROBLEM_ROWS_SHOWN)} />
      {preview.candidates.length > 0 ? (
        <div class="table-scroll">
          <table>
            <caption>{t("import.sample")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("import.row")}</th>
                <th scope="col">{t("import.column.name")}</th>
                <th scope="col">{t("import.column.kind")}</th>
                <th scope="col">{t("import.column.country")}</th>
                <th scope="col">{t("import.column.signed_at")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.candidates.slice(0, SAMPLE_ROWS).map((c) => (
                <tr key={String(c.row)}>
                  <td>{formatNumber(locale, c.row)}</td>
                  <td>{c.data.name}</td>
                  <td>{c.data.kind}</td>
                  <td>{c.data.country ? countryName(c.data.country, locale) : ""}</td>
                  <td>{c.data.signedAt ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** The listed rows whose name the letter already has: not errors, but not imported again either. */
function OnLetterTable({ ctx, rows }: { ctx: PageContext; rows: PlannedRow[] }) {
  const { t, locale } = ctx;
  if (rows.length === 0) return null;
  return (
    <div class="table-scroll">
      <table class="import-on-letter">
        <caption>{t("import.onLetterTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("import.row")}</th>
            <th scope="col">{t("import.column.name")}</th>
            <th scope="col">{t("import.onLetterColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={String(c.row)} data-row={String(c.row)} data-on-letter>
              <td>{formatNumber(locale, c.row)}</td>
              <td>{c.data.name}</td>
              <td>{t("import.onLetterMark")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
