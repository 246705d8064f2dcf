import { shownCountStatement } from "../../../domain/count-statement.ts";
import type { LetterTracker as LetterTrackerData } from "../../../queries/get-letter-tracker.ts";
import type { PublicLetter } from "../../../queries/get-public-letter.ts";
import type { LetterUpdate } from "../../../queries/list-letter-updates.ts";
import { Layout, type PageContext } from "../layout.tsx";
import { LetterDocument } from "./letter-document.tsx";
import { hasTracker, LetterTracker } from "./letter-tracker.tsx";
import { LetterUpdates } from "./letter-updates.tsx";

/*
 * The public letter's page: the letter (letter-document.tsx) with the page around it (its address in each
 * language, Open Graph and Twitter cards, the tracker and the updates). The page furniture and the count
 * statement are in the reader's language.
 */

type LetterPageProps = {
  ctx: PageContext;
  letter: PublicLetter;
  /** The public origin (BASE_URL): with it the page carries its canonical URL and Open Graph/Twitter cards. */
  baseUrl?: string | undefined;
  /** The coordinators' updates, newest first; also offered as an Atom feed. */
  updates?: readonly LetterUpdate[] | undefined;
  /** Deliveries, responses and stances; shown once the letter has reached anyone. */
  tracker?: LetterTrackerData | undefined;
  /** Whether the sign form takes endorsements now: the page then calls readers to it. */
  signOpen?: boolean | undefined;
};

/** Address of a letter in a language: the default language has the plain address, others add ?lang=. */
export function letterUrl(letter: Pick<PublicLetter, "slug" | "defaultLanguage">, language: string): string {
  const path = `/letters/${letter.slug}`;
  return language === letter.defaultLanguage ? path : `${path}?lang=${encodeURIComponent(language)}`;
}

export function LetterPage({
  ctx,
  letter,
  baseUrl,
  updates = [],
  tracker,
  signOpen = false,
}: LetterPageProps) {
  const { t } = ctx;
  const statement = shownCountStatement(letter, ctx.locale, t).text;
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
      <LetterDocument ctx={ctx} letter={letter} mode="page" signOpen={signOpen} />
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
