import type { Counts } from "../../../domain/counts.ts";
import { renderLetterMarkdown } from "../../../domain/letter-markdown.ts";
import { formatDate, isLocale } from "../../../i18n/index.ts";
import type { LetterUpdate } from "../../../queries/list-letter-updates.ts";
import type { PageContext } from "../layout.tsx";

/** The HTML of an update's Markdown body: the letter's own sanitiser, its notes after the text. */
export function updateHtml(update: LetterUpdate, counts: Counts, fallback: PageContext["locale"]): string {
  const text = renderLetterMarkdown(
    { body: update.body },
    {
      locale: isLocale(update.language) ? update.language : fallback,
      counts,
      idPrefix: `update-${update.id}-note`,
    },
  );
  return text.html.body + text.endnotes;
}

/** The letter's updates, newest first, with the feed that carries them. */
export function LetterUpdates({
  ctx,
  slug,
  updates,
  counts,
}: {
  ctx: PageContext;
  slug: string;
  updates: readonly LetterUpdate[];
  counts: Counts;
}) {
  const { t, locale } = ctx;
  if (updates.length === 0) return null;
  return (
    <section class="updates no-print" aria-labelledby="updates" lang={locale}>
      <h2 id="updates">{t("updates.heading")}</h2>
      {updates.map((update) => (
        <article key={update.id} id={`update-${update.id}`} class="update" lang={update.language}>
          <h3>{update.title}</h3>
          <p class="muted" lang={locale}>
            <time datetime={update.publishedAt}>{formatDate(locale, update.publishedAt)}</time>
          </p>
          {/* Sanitised HTML from renderLetterMarkdown, the letter body's own renderer. */}
          <div class="update-body" dangerouslySetInnerHTML={{ __html: updateHtml(update, counts, locale) }} />
        </article>
      ))}
      <p>
        <a href={`/letters/${slug}/updates.atom`} type="application/atom+xml">
          {t("updates.feed")}
        </a>
      </p>
    </section>
  );
}
