import type { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { shownCountStatement } from "../../../domain/count-statement.ts";
import type { Counts } from "../../../domain/counts.ts";
import { renderLetterMarkdown } from "../../../domain/letter-markdown.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { isLocale, type Locale } from "../../../i18n/index.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { letterLogPosition } from "../../../queries/letter-log-position.ts";
import {
  listPublishedLetters,
  type PublishedLetterSummary,
} from "../../../queries/list-published-letters.ts";
import type { RouteModule } from "../../app-deps.ts";
import { type Letter, type LetterList, LetterSummary } from "../../http/api-schemas.ts";
import { cachePublicly, readableFromAnyOrigin } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";

/*
 * The read-only JSON API (a stable interface: add fields freely, never rename). It serves exactly what the
 * public pages show, so anyone may read it from any origin; counts are the only trace of undisclosed
 * endorsements. `?lang=` picks the translation, falling back to the letter's default language.
 */

const countsJson = (c: Counts) => ({
  total: c.total,
  listed: c.listed,
  undisclosed: c.undisclosed,
  byKind: c.byKind,
});

export const apiLetterRoutes: RouteModule = async (app, { store, config }) => {
  /** How the list and a single letter both begin (letterHeading and letterDates in openapi.ts). */
  const headingJson = (
    l: Pick<PublishedLetterSummary, "slug" | "state" | "language" | "languages" | "title" | "subject">,
  ) => ({
    slug: l.slug,
    url: `${config.baseUrl}/letters/${l.slug}`,
    // Public queries return public letters only; parsing the one field says so to the type too.
    state: LetterSummary.shape.state.parse(l.state),
    language: l.language,
    languages: l.languages,
    title: l.title,
    subject: l.subject,
  });
  const datesJson = (l: Pick<PublishedLetterSummary, "letterDate" | "publicationDate" | "signers">) => ({
    letterDate: l.letterDate,
    publicationDate: l.publicationDate,
    signers: l.signers,
  });
  /** The campaign as both answers show it (campaignRef in openapi.ts). */
  const campaignJson = (c: { slug: string; name: string; isExample: boolean }) => ({
    slug: c.slug,
    name: c.name,
    url: `${config.baseUrl}/campaigns/${c.slug}`,
    isExample: c.isExample,
  });

  app.get("/api/v1/letters", async (request, reply): Promise<z.output<typeof LetterList>> => {
    const letters = await listPublishedLetters(store.db, { language: request.locale });
    readableFromAnyOrigin(reply);
    cachePublicly(reply);
    return {
      letters: letters.map((l) => ({
        ...headingJson(l),
        ...datesJson(l),
        campaign: campaignJson(l.campaign),
        counts: countsJson(l.counts),
      })),
    };
  });

  app.get<{ Params: { slug: string } }>(
    "/api/v1/letters/:slug",
    async (request, reply): Promise<z.output<typeof Letter>> => {
      const { slug } = request.params;
      // Before the lookup, so a 404 can be read cross-origin too (but is not cached: it may be published soon).
      readableFromAnyOrigin(reply);
      const letter = SLUG.test(slug)
        ? await getPublicLetter(store.db, { slug, language: request.locale, withSignatories: false })
        : undefined;
      if (!letter) throw new AppError("not_found");
      cachePublicly(reply);
      const locale: Locale = isLocale(letter.language) ? letter.language : request.locale;
      const text = renderLetterMarkdown(
        { body: letter.body, closing: letter.closing },
        { locale, counts: letter.counts, citations: letter.citations },
      );
      const page = `${config.baseUrl}/letters/${letter.slug}`;
      return {
        ...headingJson(letter),
        translations: letter.languages.map((language) => ({
          language,
          url: `${page}?lang=${language}`,
          api: `${config.baseUrl}/api/v1/letters/${letter.slug}?lang=${language}`,
        })),
        addressees: letter.addressees,
        salutation: letter.salutation,
        body: { markdown: letter.body, html: text.html.body, language: letter.partLanguage.body },
        closing: { markdown: letter.closing, html: text.html.closing, language: letter.partLanguage.closing },
        endnotes: { count: text.endnoteCount, html: text.endnotes },
        countStatement: {
          ...shownCountStatement(letter, request.locale, request.t),
          template: letter.countStatementTemplate,
        },
        ...datesJson(letter),
        categories: letter.categories,
        categoryLabels: letter.categoryLabels,
        campaign: campaignJson(letter.campaign),
        publisher: {
          name: letter.publisher.name,
          url: letter.publisher.url && isSafeHref(letter.publisher.url) ? letter.publisher.url : null,
          about: letter.publisher.about,
          links: letter.publisher.links.filter((l) => isSafeHref(l.url)),
        },
        counts: countsJson(letter.counts),
        waiting: letter.counts.waiting,
        log: await letterLogPosition(store.db, letter.id),
      };
    },
  );
};
