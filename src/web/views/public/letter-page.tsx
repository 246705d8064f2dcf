import { countStatement } from "../../../domain/count-statement.ts";
import { renderLetterMarkdown } from "../../../domain/letter-markdown.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { formatDate, formatNumber, isLocale, type Locale, translator } from "../../../i18n/index.ts";
import type { LetterTracker as LetterTrackerData } from "../../../queries/get-letter-tracker.ts";
import type { PublicLetter, PublicSignatory, SignatoryGroup } from "../../../queries/get-public-letter.ts";
import type { LetterUpdate } from "../../../queries/list-letter-updates.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { interpolate, langOf, Marked } from "../text-lang.tsx";
import { hasTracker, LetterTracker } from "./letter-tracker.tsx";
import { LetterUpdates } from "./letter-updates.tsx";

/*
 * The public letter. LetterDocument is the letter itself (addressees, date, subject, salutation, body,
 * closing, count statement, signatories, endnotes, publisher) and is shared by the page, the print view
 * that becomes the PDF, and the console's preview, so all three are the same rendering. The letter's own
 * parts are in the letter's language (with its labels and number format); the page furniture and the count
 * statement are in the reader's.
 */

export type LetterDocumentMode =
  /** The web page: a bounded excerpt of the list, with a link to the full list and the PDF. */
  | "page"
  /** The print view: every listed signatory as an annex, no navigation. */
  | "print";

type LetterPageProps = {
  ctx: PageContext;
  letter: PublicLetter;
  /** The public origin (BASE_URL): with it the page carries its canonical URL and Open Graph/Twitter cards. */
  baseUrl?: string | undefined;
  /** The coordinators' updates, newest first; also offered as an Atom feed. */
  updates?: readonly LetterUpdate[] | undefined;
  /** Deliveries, responses and stances; shown once the letter has reached anyone. */
  tracker?: LetterTrackerData | undefined;
};

/** Address of a letter in a language: the default language has the plain address, others add ?lang=. */
export function letterUrl(letter: Pick<PublicLetter, "slug" | "defaultLanguage">, language: string): string {
  const path = `/letters/${letter.slug}`;
  return language === letter.defaultLanguage ? path : `${path}?lang=${encodeURIComponent(language)}`;
}

export function LetterPage({ ctx, letter, baseUrl, updates = [], tracker }: LetterPageProps) {
  const { t } = ctx;
  const statement = countStatement(letter.counts, letter.signers, ctx.locale, t);
  return (
    <Layout
      ctx={ctx}
      title={letter.title}
      head={
        <>
          {baseUrl ? (
            <LetterMeta ctx={ctx} letter={letter} baseUrl={baseUrl} description={statement} />
          ) : null}
          <link
            rel="alternate"
            type="application/atom+xml"
            title={t("updates.feedTitle", { title: letter.title })}
            href={`/letters/${letter.slug}/updates.atom`}
          />
        </>
      }
    >
      {letter.campaign.isExample ? (
        <p class="banner" role="note">
          {t("example.banner")}
        </p>
      ) : null}
      {letter.language !== ctx.locale ? <p class="notice">{t("letter.fallbackLanguage")}</p> : null}
      <PartsFallbackNotice ctx={ctx} letter={letter} />
      <LetterDocument ctx={ctx} letter={letter} mode="page" />
      {hasTracker(tracker) ? <LetterTracker ctx={ctx} tracker={tracker} /> : null}
      <LetterUpdates ctx={ctx} slug={letter.slug} updates={updates} counts={letter.counts} />
    </Layout>
  );
}

function LetterMeta({
  ctx,
  letter,
  baseUrl,
  description,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  baseUrl: string;
  description: string;
}) {
  const canonical = `${baseUrl}${letterUrl(letter, letter.language)}`;
  const summary = letter.subject ? `${letter.subject} — ${description}` : description;
  return (
    <>
      <link rel="canonical" href={canonical} />
      {letter.languages.map((language) => (
        <link
          key={language}
          rel="alternate"
          hreflang={language}
          href={`${baseUrl}${letterUrl(letter, language)}`}
        />
      ))}
      <meta name="description" content={summary} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={ctx.t("app.name")} />
      <meta property="og:title" content={letter.title} />
      <meta property="og:description" content={summary} />
      <meta property="og:url" content={canonical} />
      <meta property="og:locale" content={letter.language === "my" ? "my_MM" : "en_GB"} />
      {letter.publisher.logoUrl?.startsWith("/") ? (
        <meta property="og:image" content={`${baseUrl}${letter.publisher.logoUrl}`} />
      ) : null}
      {letter.publicationDate ? (
        <meta property="article:published_time" content={letter.publicationDate} />
      ) : null}
      <meta name="twitter:card" content="summary" />
      <meta name="twitter:title" content={letter.title} />
      <meta name="twitter:description" content={summary} />
    </>
  );
}

/** Says which parts are shown in another language because the translation leaves them empty. */
export function PartsFallbackNotice({ ctx, letter }: { ctx: PageContext; letter: PublicLetter }) {
  const others = [...new Set(Object.values(letter.partLanguage))].filter((l) => l !== letter.language);
  if (others.length === 0) return null;
  return (
    <p class="notice">
      {ctx.t("letter.partsFallback", { language: others.map((l) => languageName(ctx, l)).join(", ") })}
    </p>
  );
}

function languageName(ctx: PageContext, language: string): string {
  return language === "en"
    ? ctx.t("letter.languageName.en")
    : language === "my"
      ? ctx.t("letter.languageName.my")
      : language;
}

export function LetterDocument({
  ctx,
  letter,
  mode,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  mode: LetterDocumentMode;
}) {
  const { t, locale } = ctx;
  const textLocale: Locale = isLocale(letter.language) ? letter.language : locale;
  const lt = translator(textLocale);
  const text = renderLetterMarkdown(
    { body: letter.body, closing: letter.closing },
    { locale: textLocale, counts: letter.counts, citations: letter.citations },
  );
  const lang = letter.partLanguage;
  const separator = lang.addressees === "my" ? "၊ " : ", ";
  const shown = letter.signatories.reduce((n, group) => n + group.signatories.length, 0);
  const listHref = `/letters/${letter.slug}/signatories`;
  const campaignName = interpolate(t, "letter.campaign", {
    name: <Marked text={letter.campaign.name} within={locale} />,
  });

  return (
    <article class="letter" lang={letter.language}>
      <h1 lang={lang.title}>{letter.title}</h1>
      <p class="muted letter-meta" lang={locale}>
        {letter.publicationDate ? (
          <span>{t("letter.published", { date: formatDate(locale, letter.publicationDate) })}</span>
        ) : null}
        {letter.version.number > 1 ? (
          <span>{t("letter.lastAmended", { date: formatDate(locale, letter.version.createdAt) })}</span>
        ) : null}
        <span>
          {mode === "page" ? <a href={`/campaigns/${letter.campaign.slug}`}>{campaignName}</a> : campaignName}
        </span>
        {mode === "page" ? (
          <span class="no-print">
            {/* `download`, as the label promises: without it browsers with a PDF viewer open the file instead,
                and a reader on a slow connection who wanted to keep it fetches it twice. */}
            <a href={`/letters/${letter.slug}.pdf?lang=${locale}`} type="application/pdf" download>
              {t("letter.downloadPdf")}
            </a>
          </span>
        ) : null}
      </p>

      <div class="addressees" lang={lang.addressees}>
        {letter.addressees.map((group, i) => (
          <div key={i}>
            <p class="addressee-heading">{group.heading}</p>
            <p>{group.names.join(separator)}</p>
          </div>
        ))}
      </div>

      {letter.letterDate ? <p class="letter-date">{formatDate(textLocale, letter.letterDate)}</p> : null}
      {letter.subject ? (
        <p class="subject" lang={lang.subject}>
          {lt("letter.subject")} {letter.subject}
        </p>
      ) : null}
      {letter.salutation ? <p lang={lang.salutation}>{letter.salutation}</p> : null}

      {/* The only raw HTML on the page: renderLetterMarkdown's output, with raw HTML in the Markdown turned
          into text, images dropped and every link target checked by isSafeHref. */}
      <div class="letter-body" lang={lang.body} dangerouslySetInnerHTML={{ __html: text.html.body }} />
      <div
        class="letter-closing"
        lang={lang.closing}
        dangerouslySetInnerHTML={{ __html: text.html.closing }}
      />

      <p class="count-statement" lang={locale}>
        {countStatement(letter.counts, letter.signers, locale, t)}
      </p>
      {letter.keyFingerprint ? (
        <p class="key-fingerprint muted" lang={locale}>
          {t("key.fingerprintNotice", { fingerprint: letter.keyFingerprint })}
        </p>
      ) : null}
      {mode === "page" && letter.counts.listed > 0 ? (
        <p class="full-list no-print" lang={locale}>
          <a href={listHref}>{t("letter.fullList")}</a>
        </p>
      ) : null}

      {text.endnoteCount > 0 ? (
        <section class="notes" aria-labelledby="notes">
          <h2 id="notes">{lt("letter.notes")}</h2>
          {/* Sanitised HTML from renderLetterMarkdown, as above. */}
          <div lang={lang.body} dangerouslySetInnerHTML={{ __html: text.endnotes }} />
        </section>
      ) : null}

      <section
        class={`signatories${mode === "print" ? " annex" : ""}`}
        lang={locale}
        aria-labelledby="signatories"
      >
        <h2 id="signatories">{mode === "print" ? t("print.annex") : t("letter.signatories")}</h2>
        {letter.signatories.length === 0 ? <p>{t("letter.noSignatories")}</p> : null}
        {letter.signatories.map((group) => (
          <SignatoryGroupList key={group.category ?? ""} ctx={ctx} group={group} links={mode === "page"} />
        ))}
        {mode === "page" && shown < letter.counts.listed ? (
          <p class="no-print">
            {t("letter.shownOf", {
              shown: formatNumber(locale, shown),
              listed: formatNumber(locale, letter.counts.listed),
            })}{" "}
            <a href={listHref}>{t("letter.fullList")}</a>
          </p>
        ) : null}
      </section>

      <PublisherBlock ctx={ctx} letter={letter} lt={lt} />
    </article>
  );
}

function SignatoryGroupList({
  ctx,
  group,
  links,
}: {
  ctx: PageContext;
  group: SignatoryGroup;
  links: boolean;
}) {
  return (
    <div class="signatory-group">
      <h3 lang={langOf(group.category, ctx.locale)}>{group.category ?? ctx.t("letter.otherSignatories")}</h3>
      <ul>
        {group.signatories.map((s, i) => (
          <li key={i}>
            <SignatoryName signatory={s} link={links} locale={ctx.locale} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A listed signatory: the name (linked to its website when the address is safe), alternative name, country,
 * each marked with its language where its script differs from the page's (a Burmese name on an English page).
 */
export function SignatoryName({
  signatory: s,
  link,
  locale,
}: {
  signatory: PublicSignatory;
  link: boolean;
  locale: Locale;
}) {
  const lang = langOf(s.name, locale);
  return (
    <>
      {link && s.website && isSafeHref(s.website) ? (
        <a href={s.website} rel="nofollow noopener ugc" lang={lang}>
          {s.name}
        </a>
      ) : (
        <Marked text={s.name} within={locale} />
      )}
      {s.nameAlt ? (
        <span class="muted">
          {" ("}
          <Marked text={s.nameAlt} within={locale} />
          {")"}
        </span>
      ) : null}
      {s.country ? <span class="muted" lang={langOf(s.country, locale)}>{` · ${s.country}`}</span> : null}
    </>
  );
}

function PublisherBlock({
  ctx,
  letter,
  lt,
}: {
  ctx: PageContext;
  letter: PublicLetter;
  lt: ReturnType<typeof translator>;
}) {
  const { publisher } = letter;
  // The block is part of the letter, so it is in the letter's language like its heading.
  const within: Locale = isLocale(letter.language) ? letter.language : ctx.locale;
  const links = publisher.links.filter((l) => isSafeHref(l.url));
  if (!publisher.name && !publisher.about && links.length === 0) return null;
  const name = publisher.name ?? "";
  return (
    <section class="publisher" aria-labelledby="publisher">
      <h2 id="publisher">{lt("letter.publisher")}</h2>
      {/* Only a same-origin logo: an absolute URL would make every reader's browser call another server. */}
      {publisher.logoUrl?.startsWith("/") && !publisher.logoUrl.startsWith("//") ? (
        <img
          class="publisher-logo"
          src={publisher.logoUrl}
          alt={ctx.t("letter.publisherLogo", { name })}
          loading="lazy"
        />
      ) : null}
      {name ? (
        <p>
          <strong lang={langOf(name, within)}>
            {publisher.url && isSafeHref(publisher.url) ? <a href={publisher.url}>{name}</a> : name}
          </strong>
        </p>
      ) : null}
      {publisher.about ? <p lang={letter.partLanguage.publisherAbout}>{publisher.about}</p> : null}
      {links.length > 0 ? (
        <ul class="publisher-links">
          {links.map((l) => (
            <li key={l.url}>
              <a href={l.url} rel="me noopener" lang={langOf(l.label, within)}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
