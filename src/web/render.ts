import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { render } from "preact-render-to-string";
import { preferredEncoding } from "./http-negotiation.ts";
import type { PageContext } from "./views/layout.tsx";

/**
 * Renders a page and sends it. preact-render-to-string escapes every text and attribute value, so views
 * never build HTML by hand. Pages are private and uncached unless the route says otherwise.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  if (!reply.hasHeader("cache-control")) reply.header("cache-control", "private, no-store");
  return sendHtml(reply.status(status), renderDocument(page));
}

/**
 * Sends an HTML document, compressed for visitors who are not signed in (a sign form goes out at a quarter
 * of its size to a phone on a slow connection). Console pages go out as they are: they hold secrets (set-up
 * and private sign-on links, key fingerprints) beside text a visitor chose, which is what a compression
 * side channel (BREACH) needs; the one secret on public pages, the form token, is masked afresh on every
 * page (csrf.ts) so it never repeats.
 */
export function sendHtml(reply: FastifyReply, html: string): FastifyReply {
  reply.type("text/html; charset=utf-8");
  reply.header("vary", "Accept-Language, Cookie, Accept-Encoding");
  const { request } = reply;
  const encoding =
    request.user || html.length < 1024 ? "identity" : preferredEncoding(request.headers["accept-encoding"]);
  if (encoding === "identity") return reply.send(html);
  reply.header("content-encoding", encoding);
  return reply.send(
    encoding === "br"
      ? // Quality 4: within a few per cent of the best for a page this size, in well under a millisecond.
        brotliCompressSync(html, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } })
      : gzipSync(html, { level: 6 }),
  );
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
