import type { RowOutcome } from "../../../domain/endorsement-import.ts";
import { formatNumber } from "../../../i18n/index.ts";
import type { ImportReport } from "../../../store/imported-rows.ts";
import type { ImportJobProgress } from "../../forms/import-steps.ts";
import type { PageContext } from "../layout.tsx";

/*
 * The end of a console import: its progress while it runs (a page that refreshes itself, so it needs no
 * script) and its report, with the rows that were not imported.
 */

/** The most rows with a problem a page lists; a file with more needs cleaning first anyway. */
export const PROBLEM_ROWS_SHOWN = 500;
/** Seconds between refreshes of the progress page. */
export const PROGRESS_REFRESH_S = 2;

export function ProgressStep({ ctx, progress }: { ctx: PageContext; progress: ImportJobProgress }) {
  const { t, locale } = ctx;
  const rate = progress.seconds > 0 ? Math.round(progress.rowsDone / progress.seconds) : 0;
  return (
    <section aria-labelledby="import-progress-title" aria-live="polite">
      <h2 id="import-progress-title">{t("import.progressTitle")}</h2>
      <p data-import-progress>
        {t("import.progressSummary", {
          rows: formatNumber(locale, progress.rowsDone),
          rate: formatNumber(locale, rate),
          imported: formatNumber(locale, progress.imported),
          duplicates: formatNumber(locale, progress.duplicates),
          rejected: formatNumber(locale, progress.rejected),
        })}
      </p>
      <p class="muted">{t("import.progressRefresh")}</p>
    </section>
  );
}

/** One line per row that was not (or will not be) imported, with its problem in the page's language. */
export function OutcomeTable({ ctx, outcomes }: { ctx: PageContext; outcomes: RowOutcome[] }) {
  const { t, locale } = ctx;
  if (outcomes.length === 0) return null;
  return (
    <div class="table-scroll">
      <table class="import-problems">
        <thead>
          <tr>
            <th scope="col">{t("import.row")}</th>
            <th scope="col">{t("import.problemColumn")}</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr key={String(o.row)} data-row={String(o.row)}>
              <td>{formatNumber(locale, o.row)}</td>
              <td>
                {t(`import.outcome.${o.outcome}`)}: {problemText(ctx, o)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function problemText(ctx: PageContext, outcome: RowOutcome): string {
  if (!outcome.code) return outcome.reason ?? "";
  const params = { ...outcome.params };
  if (typeof params.row === "number") params.row = formatNumber(ctx.locale, params.row);
  return ctx.t(`import.problem.${outcome.code}`, params);
}

export function ReportStep({
  ctx,
  letter,
  report,
}: {
  ctx: PageContext;
  letter: { id: number };
  report: ImportReport;
}) {
  const { t, locale } = ctx;
  const base = `/admin/letters/${letter.id}`;
  // Rows not imported, and imported rows the coordinator should know about (a date left out).
  const notImported = report.rows.filter((r) => r.outcome !== "imported" || r.code !== undefined);
  return (
    <section aria-labelledby="import-report-title">
      <h2 id="import-report-title">{t("import.reportTitle")}</h2>
      <p data-import-summary>
        {t("import.reportSummary", {
          imported: formatNumber(locale, report.imported),
          duplicates: formatNumber(locale, report.duplicates),
          rejected: formatNumber(locale, report.rejected),
        })}
      </p>
      {report.ignoredColumns.length > 0 ? (
        <p class="muted">{t("import.ignored", { columns: report.ignoredColumns.join(", ") })}</p>
      ) : null}
      {notImported.length > 0 ? <h3>{t("import.reportRows")}</h3> : null}
      <OutcomeTable ctx={ctx} outcomes={notImported.slice(0, PROBLEM_ROWS_SHOWN)} />
      <p>
        <a href={`${base}/review`}>{t("import.toReview")}</a> ·{" "}
        <a href={`${base}/import`}>{t("import.again")}</a>
      </p>
    </section>
  );
}
