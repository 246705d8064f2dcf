import { formatNumber } from "../../../i18n/index.ts";
import { AUDIT_PAGE_SIZE, type AuditFilters, type AuditRow } from "../../../queries/list-audit-entries.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/*
 * The audit log: a GET filter form (works without script), a table newest first, previous / next links that
 * keep the filter, and a CSV link for the same selection. It shows the entries as stored, nothing more.
 */

export function AuditPage({
  ctx,
  user,
  log,
  filters,
  page,
}: {
  ctx: PageContext;
  user: SessionUser;
  log: { entries: AuditRow[]; total: number; actions: string[]; letters: { id: number; slug: string }[] };
  filters: AuditFilters;
  page: number;
}) {
  const { t, locale } = ctx;
  const query = (extra: Record<string, string> = {}) => {
    const params = new URLSearchParams();
    if (filters.action) params.set("action", filters.action);
    if (filters.letterId !== undefined) params.set("letter", String(filters.letterId));
    if (filters.from) params.set("from", filters.from);
    if (filters.to) params.set("to", filters.to);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    const text = params.toString();
    return text ? `?${text}` : "";
  };
  const first = (page - 1) * AUDIT_PAGE_SIZE + 1;
  const last = first + log.entries.length - 1;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("audit.title")}>
      <h1>{t("audit.title")}</h1>
      <form method="get" action="/admin/audit" class="filters">
        <label>
          {t("audit.action")}
          <select name="action">
            <option value="">{t("audit.any")}</option>
            {log.actions.map((a) => (
              <option value={a} selected={a === filters.action}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.letter")}
          <select name="letter">
            <option value="">{t("audit.any")}</option>
            {log.letters.map((l) => (
              <option value={String(l.id)} selected={l.id === filters.letterId}>
                {l.slug}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("audit.from")}
          <input type="date" name="from" value={filters.from ?? ""} />
        </label>
        <label>
          {t("audit.to")}
          <input type="date" name="to" value={filters.to ?? ""} />
        </label>
        <button type="submit">{t("audit.filter")}</button>
      </form>
      <p class="muted">
        <a href={`/admin/audit.csv${query()}`}>{t("audit.export")}</a>
      </p>
      {log.entries.length === 0 ? (
        <p>{t("audit.empty")}</p>
      ) : (
        <>
          <p>
            {t("audit.count", {
              first: formatNumber(locale, first),
              last: formatNumber(locale, last),
              total: formatNumber(locale, log.total),
            })}
          </p>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("audit.when")}</th>
                  <th scope="col">{t("audit.actor")}</th>
                  <th scope="col">{t("audit.action")}</th>
                  <th scope="col">{t("audit.subject")}</th>
                  <th scope="col">{t("audit.letter")}</th>
                  <th scope="col">{t("audit.detail")}</th>
                </tr>
              </thead>
              <tbody>
                {log.entries.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <time dateTime={e.at}>{e.at.replace("T", " ").slice(0, 19)}</time>
                    </td>
                    <td>{e.actor_label}</td>
                    <td>{e.action}</td>
                    <td>{e.subject_id === null ? e.subject_type : `${e.subject_type} ${e.subject_id}`}</td>
                    <td>{e.letter_slug ?? ""}</td>
                    <td>{detailText(e.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <nav class="pagination" aria-label={t("audit.pages")}>
        {page > 1 ? (
          <a href={`/admin/audit${query({ page: String(page - 1) })}`}>{t("audit.newer")}</a>
        ) : null}{" "}
        {last < log.total ? (
          <a href={`/admin/audit${query({ page: String(page + 1) })}`}>{t("audit.older")}</a>
        ) : null}
      </nav>
    </ConsoleLayout>
  );
}

/** The stored detail as "key: value" pairs; a malformed one is shown as stored rather than hidden. */
function detailText(detail: string): string {
  try {
    const value: unknown = JSON.parse(detail);
    if (value && typeof value === "object" && !Array.isArray(value))
      return Object.entries(value)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(", ");
  } catch {
    // fall through to the raw text
  }
  return detail;
}
