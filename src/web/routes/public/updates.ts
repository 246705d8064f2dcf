import type { FastifyRequest } from "fastify";
import { unsubscribeUpdates } from "../../../commands/unsubscribe-updates.ts";
import { AppError } from "../../../domain/app-error.ts";
import { atomFeed } from "../../../domain/atom-feed.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { listLetterUpdates } from "../../../queries/list-letter-updates.ts";
import type { RouteModule } from "../../app-deps.ts";
import { cachePublicly } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";
import { LetterCache } from "../../letter-cache.ts";
import { publicPageContext, sendPage } from "../../render.ts";
import { updateHtml } from "../../views/public/letter-updates.tsx";
import { UnsubscribePage } from "../../views/public/unsubscribe-page.tsx";

/*
 * `/letters/:slug/updates.atom`: the letter's updates as an Atom feed, for readers and for undisclosed
 * signatories, who are never asked for an address. `/letters/:slug/unsubscribe?token=…`: the one-click
 * unsubscribe link of update mails (RFC 8058). GET only shows a button, since mail scanners open links;
 * POST unsubscribes, authorised by the token alone: no session, no CSRF token (the mail client has
 * neither), and a body that is either form encoding RFC 8058 allows.
 */

const FEED_TTL_MS = 5_000;

type SlugRequest = FastifyRequest<{ Params: { slug: string }; Querystring: { token?: string } }>;

export const letterUpdateRoutes: RouteModule = async (app, { store, config, now }) => {
  const feeds = new LetterCache({ ttlMs: FEED_TTL_MS, maxEntries: 200 });
  app.addHook("onClose", async () => feeds.close());

  app.get<{ Params: { slug: string } }>("/letters/:slug/updates.atom", async (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const { locale } = request;
    const feed = await feeds.get<string>(`feed\u0000${slug}\u0000${locale}`, async () => {
      const letter = await getPublicLetter(store.db, { slug, language: locale, withSignatories: false });
      if (!letter) return undefined;
      const updates = await listLetterUpdates(store.db, letter.id);
      const pageUrl = `${config.baseUrl}/letters/${slug}`;
      const xml = atomFeed({
        id: `${pageUrl}/updates.atom`,
        title: request.t("updates.feedTitle", { title: letter.title }),
        selfUrl: `${pageUrl}/updates.atom`,
        pageUrl,
        author: letter.publisher.name ?? request.t("app.name"),
        language: letter.language,
        updated: letter.version.createdAt,
        entries: updates.map((u) => ({
          id: `${pageUrl}#update-${u.id}`,
          title: u.title,
          updated: u.publishedAt,
          link: `${pageUrl}#update-${u.id}`,
          html: updateHtml(u, letter.counts, locale),
          language: u.language,
        })),
      });
      return { letterId: letter.id, value: xml };
    });
    if (feed === undefined) throw new AppError("not_found");
    cachePublicly(reply, request.user);
    return reply.type("application/atom+xml; charset=utf-8").send(feed);
  });

  await app.register(async (scope) => {
    // RFC 8058 allows the one-click body as multipart/form-data too; only the token in the address matters.
    scope.addContentTypeParser("multipart/form-data", (_request, payload, done) => {
      payload.resume();
      payload.on("end", () => done(null, {}));
      payload.on("error", (error) => done(error));
    });

    const action = (request: SlugRequest) =>
      `/letters/${request.params.slug}/unsubscribe?token=${encodeURIComponent(request.query.token ?? "")}`;

    scope.get<{ Params: { slug: string }; Querystring: { token?: string } }>(
      "/letters/:slug/unsubscribe",
      async (request, reply) => {
        if (!SLUG.test(request.params.slug)) throw new AppError("not_found");
        reply.header("referrer-policy", "no-referrer");
        return sendPage(reply, UnsubscribePage({ ctx: publicPageContext(request), action: action(request) }));
      },
    );

    scope.post<{ Params: { slug: string }; Querystring: { token?: string } }>(
      "/letters/:slug/unsubscribe",
      // "rerender" only stops the CSRF check from refusing the post: this route ignores it on purpose.
      { config: { csrf: "rerender" } },
      async (request, reply) => {
        if (!SLUG.test(request.params.slug)) throw new AppError("not_found");
        const result = await unsubscribeUpdates(
          { store },
          { token: request.query.token, letterSlug: request.params.slug },
          now(),
        );
        reply.header("referrer-policy", "no-referrer");
        return sendPage(
          reply,
          UnsubscribePage({
            ctx: publicPageContext(request),
            action: action(request),
            outcome: result.outcome,
          }),
          result.outcome === "invalid" ? 404 : 200,
        );
      },
    );
  });
};
