import { Fragment } from "preact";
import { shownCountStatement } from "../../../domain/count-statement.ts";
import { shownCategory } from "../../../domain/label-translations.ts";
import { formatNumber } from "../../../i18n/index.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import type { ListedSignatory } from "../../../queries/signatory-index.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { interpolate, langOf } from "../text-lang.tsx";
import { SignatoryName } from "./signatory-name.tsx";

/*
 * The full public list of a letter: search (names only, case-, accent- and Zawgyi-insensitive), filters by
 * category and country, and pages. A plain GET form, so it works without JavaScript and every result page
 * has an address that can be shared and cached.
 */

export type SignatoriesQuery = { q: string; category: string | undefined; country: string | undefined };

export type SignatoriesPageProps = {
  ctx: PageContext;
  letter: PublicLetter;
  query: SignatoriesQuery;
  categories: readonly string[];
  countries: readonly string[];
  /** The rows of this page, in display order. */
  rows: readonly ListedSignatory[];
  /** How many rows match the search and filters, across all pages. */
  matching: number;
  page: number;
  pages: number;
  pageSize: number;
};

export function SignatoriesPage(props: SignatoriesPageProps) {
  const { ctx, letter, query, rows, matching, page, pages, pageSize } = props;
  const { t, locale } = ctx;
  const base = `/letters/${letter.slug}/signatories`;
  const n = (value: number) => formatNumber(locale, value);
  const first = (page - 1) * pageSize + 1;

  return (
    <Layout ctx={ctx} title={t("signatories.of", { title: letter.title })}>
      <p>
        <a href={`/letters/${letter.slug}`}>{t("signatories.backToLetter")}</a>
      </p>
      <h1>
        {interpolate(t, "signatories.of", {
          // The title falls back to the letter's original language when this one has none.
          title:
            letter.partLanguage.title !== locale ? (
              <span lang={letter.partLanguage.title}>{letter.title}</span>
            ) : (
              letter.title
            ),
        })}
      </h1>
      <p class="count-statement" lang={shownCountStatement(letter, locale, t).language}>
        {shownCountStatement(letter, locale, t).text}
      </p>

      <form class="signatory-search" method="get" action={base}>
        <label>
          {t("signatories.search")}
          <input type="search" name="q" value={query.q} maxLength={200} />
        </label>
        {props.categories.length > 0 ? (
          <label>
            {t("signatories.category")}
            <select name="category">
              <option value="">{t("signatories.all")}</option>
              {props.categories.map((c) => (
                <option
                  key={c}
                  value={c}
                  selected={c === query.category}
                  lang={langOf(shownCategory(letter, c), locale)}
                >
                  {shownCategory(letter, c)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {props.countries.length > 0 ? (
          <label>
            {t("signatories.country")}
            <select name="country">
              <option value="">{t("signatories.all")}</option>
              {props.countries.map((c) => (
                <option key={c} value={c} selected={c === query.country} lang={langOf(c, locale)}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <div class="actions">
          <button type="submit">{t("signatories.submit")}</button>
          {query.q || query.category || query.country ? <a href={base}>{t("signatories.clear")}</a> : null}
        </div>
      </form>

      <p class="muted" role="status">
        {matching === 0
          ? t("signatories.noMatch")
          : rows.length === 1
            ? t("signatories.showingOne", { from: n(first), total: n(matching) })
            : t("signatories.showing", {
                from: n(first),
                to: n(first + rows.length - 1),
                total: n(matching),
              })}
        {" · "}
        <a href={`${base}.csv`} download>
          {t("signatories.csv")}
        </a>
      </p>

      {/* A heading wherever the category changes (at the top of each page too), and a list per run of one
          category numbered on from the last: a label inside a list item sat on the item's number. */}
      {runsOf(rows).map((run) => (
        <section key={run.start} class="signatory-group" aria-labelledby={`group-${run.start}`}>
          <h2
            id={`group-${run.start}`}
            class="group-label"
            lang={langOf(run.category && shownCategory(letter, run.category), locale)}
          >
            {run.category === null ? t("letter.otherSignatories") : shownCategory(letter, run.category)}
          </h2>
          <ol class="signatory-list" start={first + run.start}>
            {run.rows.map((s, i) => (
              <li key={i}>
                <SignatoryName signatory={s} link={true} locale={locale} />
              </li>
            ))}
          </ol>
        </section>
      ))}

      {pages > 1 ? <Pagination ctx={ctx} base={base} query={query} page={page} pages={pages} /> : null}
    </Layout>
  );
}

/** Consecutive rows of one category, with the index of the first on this page. */
function runsOf<T extends { category: string | null }>(rows: readonly T[]) {
  const runs: { category: string | null; start: number; rows: T[] }[] = [];
  rows.forEach((row, i) => {
    const last = runs.at(-1);
    if (last && last.category === row.category) last.rows.push(row);
    else runs.push({ category: row.category, start: i, rows: [row] });
  });
  return runs;
}

/** The address of a result page, keeping the search and filters; empty parameters are left out. */
export function signatoriesHref(base: string, query: SignatoriesQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.category) params.set("category", query.category);
  if (query.country) params.set("country", query.country);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}

function Pagination({
  ctx,
  base,
  query,
  page,
  pages,
}: {
  ctx: PageContext;
  base: string;
  query: SignatoriesQuery;
  page: number;
  pages: number;
}) {
  const { t, locale } = ctx;
  // First, last and two either side of the current page: enough to move around 1,000 pages in a few steps.
  const around = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label={t("signatories.pages")}>
      {page > 1 ? (
        <a href={signatoriesHref(base, query, page - 1)} rel="prev">
          {t("signatories.previous")}
        </a>
      ) : null}
      {around.map((p, i) => (
        <Fragment key={p}>
          {i > 0 && p - around[i - 1]! > 1 ? <span aria-hidden="true">…</span> : null}
          {p === page ? (
            <span aria-current="page">{formatNumber(locale, p)}</span>
          ) : (
            <a href={signatoriesHref(base, query, p)}>{formatNumber(locale, p)}</a>
          )}
        </Fragment>
      ))}
      {page < pages ? (
        <a href={signatoriesHref(base, query, page + 1)} rel="next">
          {t("signatories.next")}
        </a>
      ) : null}
      <span class="muted">
        {t("signatories.page", { page: formatNumber(locale, page), pages: formatNumber(locale, pages) })}
      </span>
    </nav>
  );
}
