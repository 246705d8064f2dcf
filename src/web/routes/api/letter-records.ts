import type { z } from "zod";
import { AppError } from "../../../domain/app-error.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { trackerStatement } from "../../../domain/tracker-statement.ts";
import { getLetterTracker } from "../../../queries/get-letter-tracker.ts";
import { getPublicLetter, type PublicLetter } from "../../../queries/get-public-letter.ts";
import { listLetterUpdates } from "../../../queries/list-letter-updates.ts";
import {
  currentSignatoryIndex,
  filterSignatories,
  type SignatoryIndex,
} from "../../../queries/signatory-index.ts";
import type { RouteModule } from "../../app-deps.ts";
import { SignatoriesQuery, type SignatoryPage, type Tracker, type Updates } from "../../http/api-schemas.ts";
import { cachePublicly, readableFromAnyOrigin } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";
import { LetterCache } from "../../letter-cache.ts";
import { updateHtml } from "../../views/public/letter-updates.tsx";

/*
 * The rest of the read-only API: a letter's listed signatories (paginated, searched exactly like
 * the public list), its tracker (recipients, deliveries, public responses, stances) and its updates. Like
 * the pages, these hold nothing about undisclosed endorsements but their number. Every answer is typed
 * with its schema in http/api-schemas.ts, from which openapi.ts generates the description.
 */

export const API_SIGNATORIES_PAGE_SIZE = 100;
const CACHE_TTL_MS = 5_000;

export const apiLetterRecordRoutes: RouteModule = async (app, { store, config }) => {
  const cache = new LetterCache({ ttlMs: CACHE_TTL_MS, maxEntries: 200 });
  app.addHook("onClose", async () => cache.close());
  const absolute = (path: string) => `${config.baseUrl}${path}`;

  const loadLetter = async (slug: string, language: string): Promise<PublicLetter> => {
    const letter = SLUG.test(slug)
      ? await cache.get<PublicLetter>(`letter\u0000${slug}\u0000${language}`, async () => {
          const found = await getPublicLetter(store.db, { slug, language, withSignatories: false });
          return found && { letterId: found.id, value: found };
        })
      : undefined;
    if (!letter) throw new AppError("not_found");
    return letter;
  };

  const loadIndex = async (letterId: number): Promise<SignatoryIndex> =>
    (await cache.get<SignatoryIndex>(`index\u0000${letterId}`, async (previous) => ({
      letterId,
      value: await currentSignatoryIndex(store.db, letterId, previous),
    })))!;

  app.get<{ Params: { slug: string } }>(
    "/api/v1/letters/:slug/signatories",
    async (request, reply): Promise<z.output<typeof SignatoryPage>> => {
      readableFromAnyOrigin(reply);
      const parsed = SignatoriesQuery.safeParse(request.query);
      if (!parsed.success) throw new AppError("validation");
      const letter = await loadLetter(request.params.slug, request.locale);
      const index = await loadIndex(letter.id);
      const query = {
        q: parsed.data.q?.trim() ?? "",
        category: parsed.data.category || undefined,
        country: parsed.data.country || undefined,
      };
      const matching = filterSignatories(index.ordered(request.locale, letter.categories), query);
      const page = parsed.data.page ?? 1;
      const pages = Math.max(1, Math.ceil(matching.length / API_SIGNATORIES_PAGE_SIZE));
      if (page > pages) throw new AppError("not_found");
      const start = (page - 1) * API_SIGNATORIES_PAGE_SIZE;
      cachePublicly(reply);
      return {
        letter: letter.slug,
        query: { q: query.q, category: query.category ?? null, country: query.country ?? null },
        page,
        pages,
        pageSize: API_SIGNATORIES_PAGE_SIZE,
        matching: matching.length,
        counts: { listed: letter.counts.listed, total: letter.counts.total },
        signatories: matching.slice(start, start + API_SIGNATORIES_PAGE_SIZE).map((s) => ({
          name: s.name,
          nameAlt: s.nameAlt,
          category: s.category,
          country: s.country,
          website: s.website && isSafeHref(s.website) ? s.website : null,
        })),
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/api/v1/letters/:slug/tracker",
    async (request, reply): Promise<z.output<typeof Tracker>> => {
      readableFromAnyOrigin(reply);
      const letter = await loadLetter(request.params.slug, request.locale);
      const tracker = await getLetterTracker(store.db, letter.id);
      cachePublicly(reply);
      return {
        letter: letter.slug,
        statement: trackerStatement(tracker.counts, request.locale, request.t),
        counts: tracker.counts,
        recipients: tracker.recipients.map((r) => ({
          name: r.name,
          office: r.office,
          country: r.country,
          addresseeGroup: r.addresseeGroup,
          deliveredAt: r.deliveredAt,
          deliveryMethod: r.deliveryMethod,
          respondedAt: r.respondedAt,
          responses: r.responses.map((response) => ({
            receivedAt: response.receivedAt,
            summary: response.summary,
            documentUrl: response.documentUrl === null ? null : absolute(response.documentUrl),
          })),
          stances: r.stances.map((s) => ({
            label: s.translations[request.locale] ?? s.label,
            translations: s.translations,
          })),
        })),
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    "/api/v1/letters/:slug/updates",
    async (request, reply): Promise<z.output<typeof Updates>> => {
      readableFromAnyOrigin(reply);
      const letter = await loadLetter(request.params.slug, request.locale);
      const updates = await listLetterUpdates(store.db, letter.id);
      const page = absolute(`/letters/${letter.slug}`);
      cachePublicly(reply);
      return {
        letter: letter.slug,
        feed: `${page}/updates.atom`,
        updates: updates.map((u) => ({
          id: u.id,
          url: `${page}#update-${u.id}`,
          language: u.language,
          title: u.title,
          body: u.body,
          html: updateHtml(u, letter.counts, request.locale),
          publishedAt: u.publishedAt,
        })),
      };
    },
  );
};
