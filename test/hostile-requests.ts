import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { beforeAll, beforeEach, expect } from "vitest";
import type { Dialect } from "../src/store/db.ts";
import { insertUser, type TestUser } from "./accounts.ts";
import { buildTestApp, formSession, type TestApp } from "./app.ts";
import { signIn } from "./console-session.ts";
import { useStore } from "./databases.ts";
import { insertSignableLetter } from "./sign-on-factory.ts";

/*
 * What the hostile request tests share: the app's routes read from Fastify's own route tree, the values no
 * parameter expects, and one app per describe block with a real letter and a signed-in owner, whose
 * requests each come from an address of their own and must be answered cleanly (no 5xx, no stack trace).
 */

type Route = { path: string; methods: string[] };

/** Every route of the app, read from Fastify's own route tree. */
function routesOf(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│├└─\s]*)(\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (prefixes[depth - 1] ?? "") + match[2]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    routes.push({ path, methods: match[3]!.split(", ") });
  }
  return routes;
}

/** Values no parameter expects: encodings that are not UTF-8, NUL, traversal, overlong, odd numbers. */
const HOSTILE_SEGMENTS = [
  "%00",
  "%E0%A4",
  "%C0%AF",
  "%FF%FE",
  "..%2F..%2Fetc%2Fpasswd",
  "%2E%2E",
  "-1",
  "0",
  "1e99",
  "99999999999999999999999",
  "%E2%80%AE%E2%80%8B",
  "a".repeat(300),
  "%25",
  "%",
];

export const HOSTILE_QUERIES = [
  "?lang=%E0%A4&q=%00",
  "?lang[]=en&lang[]=my&page=-1",
  "?q=%&page=99999999999999999999&sort=%FF",
  `?q=${"%E1%80%80".repeat(2000)}`,
  "?__proto__[x]=1&constructor[prototype][y]=1",
];

export const HOSTILE_VALUES = [
  "\u0000",
  "%E0%A4",
  "\u202Egro.elpmaxe",
  "\uFEFF\u200B",
  "'; DROP TABLE letters; --",
  "<script>alert(1)</script>",
  '=HYPERLINK("http://evil.example")',
  "0000-00-00",
  "9999-99-99",
  "-1",
  "1e309",
  "\uD800",
  "x".repeat(5000),
];

/** A multipart body that stops before its closing boundary (a dropped connection, or a hostile client). */
export const truncatedMultipart = (csrf: string) =>
  [
    "--XYZ",
    'Content-Disposition: form-data; name="_csrf"',
    "",
    csrf,
    "--XYZ",
    'Content-Disposition: form-data; name="file"; filename="a.xlsx"',
    "Content-Type: application/octet-stream",
    "",
    "PK\u0003\u0004 not really a zip",
  ].join("\r\n");

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|node_modules\/|\.ts:\d+:\d+/;

/** A fresh store and app for the enclosing describe block, with the real values routes lead to. */
export function useHostileApp(dialect: Dialect) {
  const store = useStore(dialect);
  let test: TestApp;
  let app: FastifyInstance;
  let routes: Route[];
  let signedIn: { cookie: string; csrf: string };
  let visitor: { cookie: string; csrf: string };
  let real: Record<string, string>;
  let ownerAccount: TestUser;

  beforeAll(async () => {
    test = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: "http://localhost:3000" });
    app = test.app;
    routes = routesOf(app);
    const letter = await insertSignableLetter(store.current().db);
    const owner = await insertUser(store.current(), { role: "owner" });
    const campaign = await store
      .current()
      .db.selectFrom("campaigns")
      .select("slug")
      .where("id", "=", letter.campaignId)
      .executeTakeFirstOrThrow();
    real = { slug: letter.slug, id: String(letter.id), campaign: campaign.slug };
    ownerAccount = owner;
    visitor = formSession(await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign` }));
    return () => app.close();
  });

  // The walk posts to sign-out and to the session routes with a valid token: each test signs in afresh.
  beforeEach(async () => {
    const cookie = await signIn(app, ownerAccount);
    const page = await app.inject({ method: "GET", url: "/admin", headers: { cookie } });
    signedIn = { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! };
  });

  /**
   * The route's path with every parameter given a real value (so the handler runs), then once with its last
   * parameter hostile for each hostile value (the ones before it lead the handler as far as they can).
   */
  function pathsOf(route: Route): string[] {
    if (route.path.includes("*")) return HOSTILE_SEGMENTS.map((s) => route.path.replace("*", s));
    const count = route.path.match(/:\w+/g)?.length ?? 0;
    const realValue = (name: string) => {
      if (name === "slug") return route.path.startsWith("/admin/campaigns") ? real.campaign! : real.slug!;
      if (name === "id" && route.path.startsWith("/admin/letters")) return real.id!;
      if (name === "language") return "my";
      if (name === "format") return "csv";
      return "1";
    };
    const build = (hostileLast?: string) => {
      let index = 0;
      return route.path.replace(/:(\w+)/g, (_m, name: string) =>
        ++index === count && hostileLast !== undefined ? hostileLast : realValue(name),
      );
    };
    return [build(), ...(count > 0 ? HOSTILE_SEGMENTS.map(build) : [])];
  }

  async function expectClean(request: InjectOptions, answer: LightMyRequestResponse): Promise<void> {
    const where = `${request.method} ${String(request.url).slice(0, 120)}`;
    expect([where, answer.statusCode < 500]).toEqual([where, true]);
    expect([where, STACK_TRACE.test(answer.body)]).toEqual([where, false]);
    if (answer.statusCode >= 400 && String(answer.headers["content-type"]).startsWith("text/html"))
      expect([where, /<html lang="(en|my)"/.test(answer.body)]).toEqual([where, true]);
  }

  /**
   * Each request from an address of its own: the walk is thousands of requests, and the flood guard would
   * otherwise answer most of them 429 without running a handler.
   */
  let clients = 0;
  const nextClient = () => {
    clients += 1;
    return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
  };

  async function send(request: InjectOptions): Promise<LightMyRequestResponse> {
    const answer = await app.inject({ remoteAddress: nextClient(), ...request });
    const where = `${request.method} ${String(request.url).slice(0, 120)}`;
    expect([where, answer.statusCode]).not.toEqual([where, 429]);
    await expectClean(request, answer);
    return answer;
  }

  return {
    store,
    app: () => app,
    test: () => test,
    routes: () => routes,
    signedIn: () => signedIn,
    visitor: () => visitor,
    real: () => real,
    pathsOf,
    expectClean,
    nextClient,
    send,
  };
}
