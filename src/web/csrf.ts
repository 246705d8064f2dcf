import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { cookieName } from "./http/cookie-names.ts";
import { sessionIdOfRequest } from "./session.ts";

/*
 * Signed double-submit CSRF protection. A random value lives in an HttpOnly SameSite=Lax cookie; every form
 * carries HMAC(secret, that value). A forged cross-site post can neither read the cookie nor compute the
 * token. We implement it here instead of @fastify/csrf-protection because a failed check must not throw the
 * person's typed input away: routes that opt in (`config: { csrf: "rerender" }`) see `request.csrfValid`
 * and re-render their form with the values and a fresh token; every other state-changing route is refused.
 *
 * Public pages go out compressed, and some of them echo what a visitor sent (a search, a form with an error).
 * A token repeated byte for byte on every page could then be guessed from compressed sizes (BREACH), so each
 * page carries it masked with fresh random bytes: pad ‖ (pad XOR token), unmasked when checked.
 *
 * A signed-in person's token is bound to their session as well: HMAC(secret, cookie value, session id).
 * Someone who can plant a cookie in a victim's browser (a sibling domain, a network attacker on plain
 * HTTP) could plant their own CSRF cookie along with the token they hold for it; without the victim's
 * session, that token does not pass a console form.
 */

export const CSRF_COOKIE = "us_csrf";

export function csrfTokenFor(secret: string, cookieValue: string, sessionId = ""): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}:${sessionId}`).digest("base64url");
}

/** Returns this visitor's form token, setting the cookie on first use. */
export function issueCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  secret: string,
  secure: boolean,
): string {
  const name = cookieName(request, CSRF_COOKIE);
  let value = request.cookies[name];
  if (!value || value.length < 32) {
    value = randomBytes(32).toString("base64url");
    // Keep the cookie for the browser session only; a fresh one is issued whenever it is missing.
    reply.setCookie(name, value, { path: "/", httpOnly: true, sameSite: "lax", secure });
    request.cookies[name] = value;
  }
  return masked(csrfTokenFor(secret, value, sessionIdOfRequest(request)));
}

function masked(token: string): string {
  const raw = Buffer.from(token, "base64url");
  const pad = randomBytes(raw.length);
  return Buffer.concat([pad, raw.map((byte, i) => byte ^ pad[i]!)]).toString("base64url");
}

function unmasked(sent: string): Buffer {
  const raw = Buffer.from(sent, "base64url");
  const half = raw.length / 2;
  return Buffer.from(raw.subarray(half).map((byte, i) => byte ^ raw[i]!));
}

export function isCsrfValid(request: FastifyRequest, secret: string, allowedOrigin: string): boolean {
  const origin = request.headers.origin;
  // Browsers send Origin on cross-site posts; when present it must be ours (defence in depth).
  if (origin && origin !== "null" && origin !== allowedOrigin && origin !== requestOrigin(request))
    return false;
  // "null" comes from sandboxed frames and data: pages as well as from some privacy settings; a signer's
  // form tolerates it, the console never needs it.
  if (origin === "null" && request.url.startsWith("/admin")) return false;
  const cookie = request.cookies[cookieName(request, CSRF_COOKIE)];
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === "string" ? body._csrf : request.headers["x-csrf-token"];
  if (!cookie || typeof sent !== "string") return false;
  const expected = Buffer.from(csrfTokenFor(secret, cookie, sessionIdOfRequest(request)), "base64url");
  const given = unmasked(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
