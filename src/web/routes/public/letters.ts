import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { toCsv } from "../../../domain/csv.ts";
import { SIGNING_PAUSED_SETTING, signOnStatus } from "../../../domain/sign-on-rules.ts";
import { groupByCategory } from "../../../domain/signatory-order.ts";
import type { Locale } from "../../../i18n/index.ts";
import { getLetterTracker } from "../../../queries/get-letter-tracker.ts";
import { getPublicLetter, type PublicLetter } from "../../../queries/get-public-letter.ts";
import { listLetterUpdates } from "../../../queries/list-letter-updates.ts";
import { listPublishedLetters } from "../../../queries/list-published-letters.ts";
import {
  currentSignatoryIndex,
  filterSignatories,
  type SignatoryIndex,
} from "../../../queries/signatory-index.ts";
import { getSetting } from "../../../store/settings.ts";
import type { RouteModule } from "../../app-deps.ts";
import { type CachedBody, cachedBody, matchesEtag, sendCached } from "../../http/cached-body.ts";
import { cachePublicly } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";
import { LetterCache } from "../../letter-cache.ts";
import { letterPdfOf, printPath, printViewHtml } from "../../letter-print.ts";
import { publicPageContext, renderDocument, sendPage } from "../../render.ts";
import { HomePage } from "../../views/public/home-page.tsx";
import { LetterPage } from "../../views/public/letter-page.tsx";
import { PdfUnavailablePage } from "../../views/public/print-page.tsx";
import {
  SignatoriesPage,
  type SignatoriesQuery,
  signatoriesHref,
} from "../../views/public/signatories-page.tsx";

/*
 * What readers get: `/` (published letters), `/letters/:slug` (the letter), `/letters/:slug/signatories`
 * (the full list: search, filters, pages), `/letters/:slug/signatories.csv`, `/letters/:slug/print` (the
 * print view) and `/letters/:slug.pdf` (the print view printed by Chromium, cached on disk).
 *
 * Rendered pages are cached in memory per URL and language for CACHE_TTL_MS and marked stale by
 * letterChanged(), here or, through the change feed, in another process; the letter's data and its signatory
 * index are cached the same way one level down. Cached pages are rendered as for an anonymous reader: they are
 * shared by everyone.
 */

const CACHE_TTL_MS = 5_000;
/** Keeps the letter page's first view light (DESIGN.md: under 100 KB) whatever the number of signatories. */
export const LETTER_PAGE_SIGNATORIES = 200;
export const SIGNATORIES_PAGE_SIZE = 100;
/** The newest updates shown on the letter page; the Atom feed carries them all. */
const LETTER_PAGE_UPDATES = 20;

const citedIds = (letter: PublicLetter) => letter.citations.map((c) => c.letterId);

const signatoriesQuerySchema = z.object({
  q: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  country: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000_000).optional(),
});

/** A list page without search or filters: a slice of the cached index, cheap enough to serve to anyone. */
function isPlainListing(query: unknown): boolean {
  const q = (query ?? {}) as Record<string, unknown>;
  return !q.q && !q.category && !q.country;
}

export const letterRoutes: RouteModule = async (app, { store, config, letterPdfs, now }) => {
  const pages = new LetterCache({ ttlMs: CACHE_TTL_MS, maxEntries: 500 });
  const data = new LetterCache({ ttlMs: CACHE_TTL_MS, maxEntries: 100 });
  app.addHook("onClose", async () => {
    pages.close();
    data.close();
  });

  const loadLetter = (slug: string, locale: Locale) =>
    data.get<PublicLetter>(`letter\u0000${slug}\u0000${locale}`, async () => {
      const letter = await getPublicLetter(store.db, { slug, language: locale, withSignatories: false });
      // A cited letter's count shows in this one's text: its changes make this entry stale too.
      return letter && { letterId: letter.id, value: letter, dependsOn: citedIds(letter) };
    });

  const loadIndex = async (letterId: number): Promise<SignatoryIndex> =>
    (await data.get<SignatoryIndex>(`index\u0000${letterId}`, async (previous) => ({
      letterId,
      value: await currentSignatoryIndex(store.db, letterId, previous),
    })))!;

  /** What a cached page is rendered with: the request's language, a fixed path, no user. */
  const anonymousContext = (request: FastifyRequest, pagePath: string) => ({
    ...publicPageContext(request),
    path: pagePath,
    user: undefined,
  });

  app.get("/", async (request, reply) => {
    const letters = await listPublishedLetters(store.db, { language: request.locale });
    cachePublicly(reply, request.user);
    return sendPage(reply, HomePage({ ctx: publicPageContext(request), letters }));
  });

  // The coarse per-address flood guard is off for the letter page and plain list pages: they are served
  // from memory, cost less than the limiter's own bookkeeping, and a newsroom or a CDN behind one address
  // must not be turned away during a spike. Searches, the CSV, the print view and the PDF stay limited.
  app.get<{ Params: { slug: string } }>(
    "/letters/:slug",
    { config: { rateLimit: false } },
    async (request, reply) => {
      const { slug } = request.params;
      if (!SLUG.test(slug)) throw new AppError("not_found");
      const { locale } = request;
      const page = await pages.get<CachedBody>(`page\u0000${slug}\u0000${locale}`, async () => {
        const letter = await loadLetter(slug, locale);
        if (!letter) return undefined;
        const [index, updates, tracker, paused] = await Promise.all([
          loadIndex(letter.id),
          listLetterUpdates(store.db, letter.id, { limit: LETTER_PAGE_UPDATES }),
          getLetterTracker(store.db, letter.id),
          getSetting(store.db, SIGNING_PAUSED_SETTING),
        ]);
        // A published letter still taking endorsements sends readers to its form. The page is cached for
        // seconds, so a deadline or a pause shows here that much later; the form itself checks at once.
        const signOpen =
          letter.state === "published" &&
          signOnStatus(
            letter,
            { publicKey: letter.keyFingerprint, demoKey: letter.campaign.isExample },
            { paused: paused === "1", now: now() },
          ).open;
        const excerpt = index.ordered(locale, letter.categories).slice(0, LETTER_PAGE_SIGNATORIES);
        const html = renderDocument(
          LetterPage({
            ctx: anonymousContext(request, `/letters/${slug}`),
            letter: { ...letter, signatories: groupByCategory(excerpt) },
            baseUrl: config.baseUrl,
            updates,
            tracker,
            signOpen,
          }),
        );
        return { letterId: letter.id, value: cachedBody(html), dependsOn: citedIds(letter) };
      });
      if (!page) throw new AppError("not_found");
      return sendCached(request, reply, page, "text/html; charset=utf-8");
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/letters/:slug/signatories",
    { config: { rateLimit: { allowList: (request) => isPlainListing(request.query) } } },
    async (request, reply) => {
      const { slug } = request.params;
      if (!SLUG.test(slug)) throw new AppError("not_found");
      const parsed = signatoriesQuerySchema.safeParse(request.query);
      if (!parsed.success) throw new AppError("validation");
      const query: SignatoriesQuery = {
        q: parsed.data.q?.trim() ?? "",
        category: parsed.data.category || undefined,
        country: parsed.data.country || undefined,
      };
      const pageNumber = parsed.data.page ?? 1;
      const { locale } = request;
      const key = ["list", slug, locale, query.q, query.category ?? "", query.country ?? "", pageNumber].join(
        "\u0000",
      );
      const page = await pages.get<CachedBody | "out-of-range">(key, async () => {
        const letter = await loadLetter(slug, locale);
        if (!letter) return undefined;
        const index = await loadIndex(letter.id);
        const matching = filterSignatories(index.ordered(locale, letter.categories), query);
        const pageCount = Math.max(1, Math.ceil(matching.length / SIGNATORIES_PAGE_SIZE));
        if (pageNumber > pageCount) return { letterId: letter.id, value: "out-of-range" };
        const start = (pageNumber - 1) * SIGNATORIES_PAGE_SIZE;
        const html = renderDocument(
          SignatoriesPage({
            ctx: anonymousContext(
              request,
              signatoriesHref(`/letters/${slug}/signatories`, query, pageNumber),
            ),
            letter,
            query,
            categories: index.categories(locale, letter.categories),
            countries: index.countries(locale),
            rows: matching.slice(start, start + SIGNATORIES_PAGE_SIZE),
            matching: matching.length,
            page: pageNumber,
            pages: pageCount,
            pageSize: SIGNATORIES_PAGE_SIZE,
          }),
        );
        return { letterId: letter.id, value: cachedBody(html) };
      });
      if (!page || page === "out-of-range") throw new AppError("not_found");
      return sendCached(request, reply, page, "text/html; charset=utf-8");
    },
  );

  app.get<{ Params: { slug: string } }>("/letters/:slug/signatories.csv", async (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const { locale, t } = request;
    const file = await pages.get<CachedBody>(`csv\u0000${slug}\u0000${locale}`, async () => {
      const letter = await loadLetter(slug, locale);
      if (!letter) return undefined;
      const index = await loadIndex(letter.id);
      const csv = toCsv(
        [
          t("signatories.name"),
          t("signatories.nameAlt"),
          t("signatories.category"),
          t("signatories.country"),
          t("signatories.website"),
        ],
        index
          .ordered(locale, letter.categories)
          .map((s) => [s.name, s.nameAlt, s.category, s.country, s.website]),
      );
      return { letterId: letter.id, value: cachedBody(csv) };
    });
    if (!file) throw new AppError("not_found");
    reply.header("content-disposition", `attachment; filename="${slug}-signatories.csv"`);
    return sendCached(request, reply, file, "text/csv; charset=utf-8");
  });

  app.get<{ Params: { slug: string } }>("/letters/:slug/print", async (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const letter = await loadLetter(slug, request.locale);
    if (!letter) throw new AppError("not_found");
    const index = await loadIndex(letter.id);
    cachePublicly(reply, request.user);
    return reply
      .type("text/html; charset=utf-8")
      .send(printViewHtml(letter, index, request.locale, config.baseUrl));
  });

  app.get<{ Params: { slug: string } }>("/letters/:slug.pdf", async (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const { locale } = request;
    const letter = await loadLetter(slug, locale);
    if (!letter) throw new AppError("not_found");
    if (!letterPdfs.available) {
      reply.header("retry-after", "3600");
      return sendPage(
        reply,
        PdfUnavailablePage({ ctx: publicPageContext(request), printHref: printPath(slug, locale) }),
        503,
      );
    }
    const index = await loadIndex(letter.id);
    const { bytes, key } = await letterPdfOf(letterPdfs, config.baseUrl, { letter, index, locale });
    const etag = `"${key}"`;
    cachePublicly(reply, request.user);
    reply.header("etag", etag);
    if (matchesEtag(request, etag)) return reply.status(304).send();
    reply.header("content-disposition", `inline; filename="${slug}.pdf"`);
    return reply.type("application/pdf").send(bytes);
  });
};
