import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect } from "vitest";
import type { Dialect } from "../src/store/db.ts";
import { buildTestApp, type TestApp } from "./app.ts";
import { useStore } from "./databases.ts";

/*
 * What the recipients console tests over HTTP share: one app for the describe block, forms encoded as a
 * browser posts them (repeated fields for multiple values), and pages that must answer 200.
 */

/** A urlencoded body; an array value posts the field once per value, as checkboxes do. */
export const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return body.toString();
};

/** A fresh store and app for the enclosing describe block, and a GET that must answer 200. */
export function useRecipientsConsole(dialect: Dialect) {
  const store = useStore(dialect);
  let test: TestApp;

  beforeAll(async () => {
    test = await buildTestApp(store.current(), store.dataDir(), {
      BASE_URL: "https://letters.example.org",
    });
  }, 60_000);
  afterAll(() => test.app.close());

  const page = async (url: string, cookie?: string) => {
    const response = await test.app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
    expect(response.statusCode).toBe(200);
    return response.body;
  };

  return { store, app: (): FastifyInstance => test.app, test: () => test, page };
}
