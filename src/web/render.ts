import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { render } from "preact-render-to-string";
import type { PageContext } from "./views/layout.tsx";

/**
 * Renders a page and sends it. preact-render-to-string escapes every text and attribute value, so views
 * never build HTML by hand. Pages are private and uncached unless the route says otherwise.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  if (!reply.hasHeader("cache-control")) reply.header("cache-control", "private, no-store");
  return reply.status(status).type("text/html; charset=utf-8").send(renderDocument(page));
}

/** The HTML document of a page, for routes that cache what they send. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}

/** Everything a view needs from the request: language, translator, path, signed-in user, CSRF token. */
export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  return {
    locale: request.locale,
    t: request.t,
    path: request.url,
    user: request.user,
    csrfToken: request.csrfToken(reply),
  };
}

/**
 * Context for public read-only pages. Unlike pageContext it issues no CSRF token: these pages carry no
 * form, and a Set-Cookie would stop shared caches (and a CDN absorbing a spike) from storing them.
 */
export function publicPageContext(request: FastifyRequest): PageContext {
  return { locale: request.locale, t: request.t, path: request.url, user: request.user };
}
