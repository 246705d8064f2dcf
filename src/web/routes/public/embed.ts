import { AppError } from "../../../domain/app-error.ts";
import { SIGN_ON_STATES } from "../../../domain/sign-on-rules.ts";
import { getPublicLetter, type PublicLetter } from "../../../queries/get-public-letter.ts";
import type { RouteModule } from "../../app-deps.ts";
import { cachePublicly } from "../../http/public-caching.ts";
import { EMBED_CSP } from "../../http/security-headers.ts";
import { SLUG } from "../../http/slugs.ts";
import { LetterCache } from "../../letter-cache.ts";
import { publicPageContext, renderDocument, sendHtml } from "../../render.ts";
import { EmbedPage } from "../../views/public/embed-page.tsx";

/*
 * `/letters/:slug/embed?lang=…`: the one page other sites may frame. Its CSP says `frame-ancestors *` and
 * it drops X-Frame-Options; every other page keeps the site-wide refusal. That is safe here because the page
 * has nothing to click that acts: its links open our own pages in a new tab (no clickjacking target).
 * An embedded letter on a busy site is read like the letter page itself, so the letter is cached the same way.
 */

const EMBED_TTL_MS = 5_000;

export const embedRoutes: RouteModule = async (app, { store }) => {
  const letters = new LetterCache({ ttlMs: EMBED_TTL_MS, maxEntries: 200 });
  app.addHook("onClose", async () => letters.close());

  app.get<{ Params: { slug: string } }>(
    "/letters/:slug/embed",
    { config: { rateLimit: false } },
    async (request, reply) => {
      const { slug } = request.params;
      if (!SLUG.test(slug)) throw new AppError("not_found");
      const { locale } = request;
      const letter = await letters.get<PublicLetter>(`embed\u0000${slug}\u0000${locale}`, async () => {
        const found = await getPublicLetter(store.db, { slug, language: locale, withSignatories: false });
        return found && { letterId: found.id, value: found };
      });
      if (!letter) throw new AppError("not_found");
      reply.header("content-security-policy", EMBED_CSP);
      reply.removeHeader("x-frame-options");
      cachePublicly(reply, request.user);
      const html = renderDocument(
        EmbedPage({
          ctx: { ...publicPageContext(request), user: undefined },
          letter,
          signable: SIGN_ON_STATES.includes(letter.state),
        }),
      );
      return sendHtml(reply, html);
    },
  );
};
