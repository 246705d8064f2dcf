import type { FastifyRequest } from "fastify";

/*
 * Under https every cookie of ours carries the __Host- prefix. A browser then accepts it only from this
 * very host, over https, with Path=/ and no Domain, so nobody on a sibling domain (or on the network, over
 * plain http) can plant one in a visitor's browser: not the CSRF cookie, not a session, not the language.
 * A cookie of the plain name is ignored there, since anyone could have set it. On plain http (a laptop's
 * localhost during development) browsers refuse the prefix, and the plain names are used.
 */

const HOST_PREFIX = "__Host-";

/** The name under which this server's browsers hold the cookie `name`. */
export function cookieName(request: FastifyRequest, name: string): string {
  return request.secureCookies ? `${HOST_PREFIX}${name}` : name;
}
