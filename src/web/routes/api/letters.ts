import type { FastifyReply } from "fastify";
import { AppError } from "../../../domain/app-error.ts";
import type { Counts } from "../../../domain/counts.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { listPublishedLetters } from "../../../queries/list-published-letters.ts";
import type { RouteModule } from "../index.ts";
import { SLUG } from "../public/public-page.ts";

/*
 * The read-only JSON API (a stable interface: add fields freely, never rename). It serves exactly what the
 * public pages show, so anyone may read it from any origin; counts are the only trace of undisclosed
 * endorsements. `?lang=` picks the translation, falling back to the letter's default language.
 */

export function readableFromAnyOrigin(reply: FastifyReply): void {
  reply.header("access-control-allow-origin", "*");
}

export function cachePublicly(reply: FastifyReply): void {
  reply.header("cache-control", "public, max-age=60, stale-while-revalidate=300");
}

const countsJson = (c: Counts) => ({
  total: c.total,
  listed: c.listed,
  undisclosed: c.undisclosed,
  byKind: c.byKind,
});

export const apiLetterRoutes: RouteModule = async (app, { store, config }) => {
  const letterUrl = (slug: string) => `${config.baseUrl}/letters/${slug}`;
  const campaignUrl = (slug: string) => `${config.baseUrl}/campaigns/${slug}`;

  app.get("/api/v1/letters", async (request, reply) => {
    const letters = await listPublishedLetters(store.db, { language: request.locale });
    readableFromAnyOrigin(reply);
    cachePublicly(reply);
    return {
      letters: letters.map((l) => ({
        slug: l.slug,
        url: letterUrl(l.slug),
        state: l.state,
        language: l.language,
        languages: l.languages,
        title: l.title,
        subject: l.subject,
        letterDate: l.letterDate,
        publicationDate: l.publicationDate,
        signers: l.signers,
        campaign: {
          slug: l.campaign.slug,
          name: l.campaign.name,
          url: campaignUrl(l.campaign.slug),
          isExample: l.campaign.isExample,
        },
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
      slug: letter.slug,
      url: letterUrl(letter.slug),
      state: letter.state,
      language: letter.language,
      languages: letter.languages,
      title: letter.title,
      subject: letter.subject,
      addressees: letter.addressees,
      salutation: letter.salutation,
      letterDate: letter.letterDate,
      publicationDate: letter.publicationDate,
      signers: letter.signers,
      categories: letter.categories,
      campaign: {
        slug: letter.campaign.slug,
        name: letter.campaign.name,
        url: campaignUrl(letter.campaign.slug),
        isExample: letter.campaign.isExample,
      },
      publisher: {
        name: letter.publisher.name,
        url: letter.publisher.url && isSafeHref(letter.publisher.url) ? letter.publisher.url : null,
        about: letter.publisher.about,
        links: letter.publisher.links.filter((l) => isSafeHref(l.url)),
      },
      counts: countsJson(letter.counts),
    };
  });
};
