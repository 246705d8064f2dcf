import { renderLetterMarkdown } from "../../../domain/letter-markdown.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { formatDate, isLocale, translator } from "../../../i18n/index.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { countNoun } from "./counts.ts";

/**
 * The public letter, complete but plain: addressees, date, subject, salutation, body, closing, the count
 * statement, listed signatories, endnotes and the publisher. The letter's own parts are in the letter's
 * language (with its labels and number format); the page furniture is in the reader's.
 */
export function LetterPage({ ctx, letter }: { ctx: PageContext; letter: PublicLetter }) {
  const { t, locale } = ctx;
  const textLocale = isLocale(letter.language) ? letter.language : locale;
  const lt = translator(textLocale);
  const text = renderLetterMarkdown(
    { body: letter.body, closing: letter.closing },
    { locale: textLocale, counts: letter.counts },
  );
  const noun = (count: number) => countNoun(t, locale, letter.signers, count);
  const separator = letter.language === "my" ? "၊ " : ", ";

  return (
    <Layout ctx={ctx} title={letter.title}>
      {letter.campaign.isExample ? (
        <p class="banner" role="note">
          {t("example.banner")}
        </p>
      ) : null}
      {letter.language !== locale ? <p class="notice">{t("letter.fallbackLanguage")}</p> : null}

      <article class="letter" lang={letter.language}>
        <h1>{letter.title}</h1>
        <p class="muted" lang={locale}>
          {letter.publicationDate
            ? `${t("letter.published", { date: formatDate(locale, letter.publicationDate) })} · `
            : ""}
          <a href={`/campaigns/${letter.campaign.slug}`}>
            {t("letter.campaign", { name: letter.campaign.name })}
          </a>
        </p>

        <div class="addressees">
          {letter.addressees.map((group, i) => (
            <div key={i}>
              <p class="addressee-heading">{group.heading}</p>
              <p>{group.names.join(separator)}</p>
            </div>
          ))}
        </div>

        {letter.letterDate ? <p class="letter-date">{formatDate(textLocale, letter.letterDate)}</p> : null}
        {letter.subject ? (
          <p class="subject">
            {lt("letter.subject")} {letter.subject}
          </p>
        ) : null}
        {letter.salutation ? <p>{letter.salutation}</p> : null}

        {/* Trusted HTML: renderLetterMarkdown turns raw HTML into text, drops images and unsafe link targets. */}
        <div class="letter-body" dangerouslySetInnerHTML={{ __html: text.html.body }} />
        <div class="letter-closing" dangerouslySetInnerHTML={{ __html: text.html.closing }} />

        <p class="count-statement" lang={locale}>
          {t("counts.statement", {
            total: noun(letter.counts.total),
            listed: noun(letter.counts.listed),
            undisclosed: noun(letter.counts.undisclosed),
          })}
        </p>

        <section class="signatories" lang={locale} aria-labelledby="signatories">
          <h2 id="signatories">{t("letter.signatories")}</h2>
          {letter.signatories.length === 0 ? <p>{t("letter.noSignatories")}</p> : null}
          {letter.signatories.map((group) => (
            <div key={group.category ?? ""}>
              <h3>{group.category ?? t("letter.otherSignatories")}</h3>
              <ul>
                {group.signatories.map((s, i) => (
                  <li key={i}>
                    {s.website && isSafeHref(s.website) ? (
                      <a href={s.website} rel="nofollow noopener">
                        {s.name}
                      </a>
                    ) : (
                      s.name
                    )}
                    {s.nameAlt ? <span class="muted">{` (${s.nameAlt})`}</span> : null}
                    {s.country ? <span class="muted">{` · ${s.country}`}</span> : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>

        {text.endnoteCount > 0 ? (
          <section class="notes" aria-labelledby="notes">
            <h2 id="notes">{lt("letter.notes")}</h2>
            {/* Trusted HTML from renderLetterMarkdown, as above. */}
            <div dangerouslySetInnerHTML={{ __html: text.endnotes }} />
          </section>
        ) : null}

        {letter.publisher.name || letter.publisher.about ? (
          <section class="publisher" aria-labelledby="publisher">
            <h2 id="publisher">{lt("letter.publisher")}</h2>
            {letter.publisher.name ? (
              <p>
                <strong>
                  {letter.publisher.url && isSafeHref(letter.publisher.url) ? (
                    <a href={letter.publisher.url}>{letter.publisher.name}</a>
                  ) : (
                    letter.publisher.name
                  )}
                </strong>
              </p>
            ) : null}
            {letter.publisher.about ? <p>{letter.publisher.about}</p> : null}
            {letter.publisher.links.some((l) => isSafeHref(l.url)) ? (
              <ul>
                {letter.publisher.links
                  .filter((l) => isSafeHref(l.url))
                  .map((l) => (
                    <li key={l.url}>
                      <a href={l.url} rel="me noopener">
                        {l.label}
                      </a>
                    </li>
                  ))}
              </ul>
            ) : null}
          </section>
        ) : null}
      </article>
    </Layout>
  );
}
