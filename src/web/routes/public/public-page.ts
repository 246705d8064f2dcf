import type { FastifyReply, FastifyRequest } from "fastify";
import type { PageContext } from "../../views/layout.tsx";

/** Letter slugs as we create them; anything else is answered 404 without a database query. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

/**
 * Context for public read-only pages. Unlike pageContext it issues no CSRF token: these pages carry no
 * form, and a Set-Cookie would stop shared caches (and a CDN absorbing a spike) from storing them.
 */
export function publicPageContext(request: FastifyRequest): PageContext {
  return { locale: request.locale, t: request.t, path: request.url, user: request.user };
}

/**
 * Public pages may be cached for a minute and served stale for five while revalidating. The app adds
 * `Vary: Accept-Language, Cookie`, so each language is cached apart; a signed-in coordinator's pages stay
 * private because they show the console link.
 */
export function cachePublicly(request: FastifyRequest, reply: FastifyReply): void {
  reply.header(
    "cache-control",
    request.user ? "private, no-store" : "public, max-age=60, stale-while-revalidate=300",
  );
}
