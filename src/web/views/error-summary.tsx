import type { Translate } from "../../i18n/index.ts";

/**
 * The error summary of a refused form, in the GOV.UK pattern: a heading, the problem when it is about the
 * whole form, and one link per field error to the field (whose id is `field-NAME`), in the form's order.
 * It takes the focus as the page loads (`autofocus` on a focusable box works without JavaScript), so a
 * screen reader announces it and a keyboard user starts from it.
 */
export function ErrorSummary({
  t,
  problem,
  errors,
  order,
}: {
  t: Translate;
  /** A message about the whole form; the generic "fields need attention" adds nothing to the list. */
  problem?: string | undefined;
  errors: Partial<Record<string, string>>;
  /** The form's fields in the order they appear, so the list reads in the same order as the page. */
  order: readonly string[];
}) {
  const listed = order.filter((field) => errors[field]);
  const extra = Object.keys(errors).filter((field) => !order.includes(field) && errors[field]);
  const fields = [...listed, ...extra];
  const generic = problem === t("error.validation");
  if (!problem && fields.length === 0) return null;
  return (
    <div
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      autofocus
      data-error-summary=""
    >
      <h2 id="error-summary-title">{t("error.summaryTitle")}</h2>
      {problem && !(generic && fields.length > 0) ? <p>{problem}</p> : null}
      {fields.length > 0 ? (
        <ul>
          {fields.map((field) => (
            <li key={field}>
              <a href={`#field-${field}`}>{errors[field]}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A page's title while its form shows errors starts with "Error:", the first thing a screen reader says. */
export function errorTitle(t: Translate, title: string, failed: boolean): string {
  return failed ? t("error.titlePrefix", { title }) : title;
}
