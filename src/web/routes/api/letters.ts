import { AppError } from "../../../domain/app-error.ts";
import type { Counts } from "../../../domain/counts.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { letterLogPosition } from "../../../queries/letter-log-position.ts";
import {
  listPublishedLetters,
  type PublishedLetterSummary,
} from "../../../queries/list-published-letters.ts";
import type { RouteModule } from "../../app-deps.ts";
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
    state: l.state,
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

  app.get("/api/v1/letters", async (request, reply) => {
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

  app.get<{ Params: { slug: string } }>("/api/v1/letters/:slug", async (request, reply) => {
    const { slug } = request.params;
    // Before the lookup, so a 404 can be read cross-origin too (but is not cached: it may be published soon).
    readableFromAnyOrigin(reply);
    const letter = SLUG.test(slug)
      ? await getPublicLetter(store.db, { slug, language: request.locale, withSignatories: false })
      : undefined;
    if (!letter) throw new AppError("not_found");
    cachePublicly(reply);
    return {
      ...headingJson(letter),
      addressees: letter.addressees,
      salutation: letter.salutation,
      ...datesJson(letter),
      categories: letter.categories,
      campaign: campaignJson(letter.campaign),
      publisher: {
        name: letter.publisher.name,
        url: letter.publisher.url && isSafeHref(letter.publisher.url) ? letter.publisher.url : null,
        about: letter.publisher.about,
        links: letter.publisher.links.filter((l) => isSafeHref(l.url)),
      },
      counts: countsJson(letter.counts),
      log: await letterLogPosition(store.db, letter.id),
    };
  });
};
