import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { Role } from "../src/domain/roles.ts";
import type { Store } from "../src/store/db.ts";
import { insertUser, type TestUser } from "./accounts.ts";
import { formSession } from "./app.ts";

export const FORM = "application/x-www-form-urlencoded";

/** Opens the sign-in page and sends its form with the account's address and password, which it must accept. */
async function submitSignInForm(app: FastifyInstance, user: TestUser) {
  const page = await app.inject({ method: "GET", url: "/admin/login" });
  const { cookie, csrf } = formSession(page);
  const response = await app.inject({
    method: "POST",
    url: "/admin/login",
    headers: { "content-type": FORM, cookie },
    payload: new URLSearchParams({ _csrf: csrf, email: user.email, password: user.password }).toString(),
  });
  expect(response.statusCode).toBe(303);
  return { cookie, response };
}

/** Signs in through the real form (no second factor); returns the cookies a browser would hold afterwards. */
export async function signIn(app: FastifyInstance, user: TestUser): Promise<string> {
  const { cookie, response } = await submitSignInForm(app, user);
  const session = response.cookies.find((c) => c.name === "us_session" || c.name === "__Host-us_session")!;
  return `${cookie}; ${session.name}=${session.value}`;
}

/** Signs in a new account that has `role` in one campaign, as a member of that campaign's team would. */
export async function signInToCampaign(app: FastifyInstance, store: Store, role: Role, campaignId: number) {
  return signIn(app, await insertUser(store, { role, campaigns: [campaignId] }));
}

/** The form token on a page whose CSRF cookie the browser already holds. */
export function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
}

/** A page of the console, as the signed-in browser holding `cookie` opens it. */
export function getAs(app: FastifyInstance, url: string, cookie: string) {
  return app.inject({ method: "GET", url, headers: { cookie } });
}

/** Posts a form from a page the browser holds, with that page's CSRF token. */
export function postFrom(
  app: FastifyInstance,
  url: string,
  cookie: string,
  page: string,
  fields: Record<string, string>,
) {
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": FORM, cookie },
    payload: new URLSearchParams({ _csrf: csrfOf(page), ...fields }).toString(),
  });
}

/** Cookies a response sets, as a Cookie header to send back with the ones already held. */
export function cookieHeader(held: string, response: { cookies: { name: string; value: string }[] }): string {
  const jar = new Map(
    held
      .split("; ")
      .filter(Boolean)
      .map((c) => c.split("=") as [string, string]),
  );
  for (const c of response.cookies) jar.set(c.name, c.value);
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * Signs in through the real forms, as a browser would, and follows to the landing page: returns the cookies
 * to send and that page's form token.
 */
export async function signInAndLand(
  app: FastifyInstance,
  user: TestUser,
): Promise<{ cookie: string; csrf: string }> {
  const { cookie, response } = await submitSignInForm(app, user);
  // Forms after sign-in carry a token bound to the new session: take it from the page the browser lands on.
  const signedIn = cookieHeader(cookie, response);
  const landing = await app.inject({
    method: "GET",
    url: response.headers.location!,
    headers: { cookie: signedIn },
  });
  return { cookie: signedIn, csrf: csrfOf(landing.body) };
}
