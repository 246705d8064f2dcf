import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/*
 * Signed double-submit CSRF protection. A random value lives in an HttpOnly SameSite=Lax cookie; every form
 * carries HMAC(secret, that value). A forged cross-site post can neither read the cookie nor compute the
 * token. We implement it here instead of @fastify/csrf-protection because a failed check must not throw the
 * person's typed input away: routes that opt in (`config: { csrf: "rerender" }`) see `request.csrfValid`
 * and re-render their form with the values and a fresh token; every other state-changing route is refused.
 */

export const CSRF_COOKIE = "us_csrf";

export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}`).digest("base64url");
}

/** Returns this visitor's form token, setting the cookie on first use. */
export function issueCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  secret: string,
  secure: boolean,
): string {
  let value = request.cookies[CSRF_COOKIE];
  if (!value || value.length < 32) {
    value = randomBytes(32).toString("base64url");
    // Keep the cookie for the browser session only; a fresh one is issued whenever it is missing.
    reply.setCookie(CSRF_COOKIE, value, { path: "/", httpOnly: true, sameSite: "lax", secure });
    request.cookies[CSRF_COOKIE] = value;
  }
  return csrfTokenFor(secret, value);
}

export function isCsrfValid(request: FastifyRequest, secret: string, allowedOrigin: string): boolean {
  const origin = request.headers.origin;
  // Browsers send Origin on cross-site posts; when present it must be ours (defence in depth).
  if (origin && origin !== "null" && origin !== allowedOrigin && origin !== requestOrigin(request))
    return false;
  const cookie = request.cookies[CSRF_COOKIE];
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === "string" ? body._csrf : request.headers["x-csrf-token"];
  if (!cookie || typeof sent !== "string") return false;
  const expected = Buffer.from(csrfTokenFor(secret, cookie));
  const given = Buffer.from(sent);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
