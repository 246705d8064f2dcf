import type { FastifyReply } from "fastify";
import type { SessionUser } from "../session.ts";

/**
 * Public pages and the read-only API may be cached for a minute and served stale for five while
 * revalidating. The app adds `Vary: Accept-Language, Cookie`, so each language is cached apart. A page shown
 * to a signed-in coordinator (the viewer) stays private because it carries the console link.
 */
export function cachePublicly(reply: FastifyReply, viewer?: SessionUser): void {
  reply.header(
    "cache-control",
    viewer ? "private, no-store" : "public, max-age=60, stale-while-revalidate=300",
  );
}

/** The read-only API serves exactly what public pages show, so any origin may read it. */
export function readableFromAnyOrigin(reply: FastifyReply): void {
  reply.header("access-control-allow-origin", "*");
}
