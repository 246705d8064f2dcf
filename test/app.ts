import { Writable } from "node:stream";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { findChromium, PdfPrinter } from "../src/pdf/chromium.ts";
import type { Store } from "../src/store/db.ts";
import { buildApp } from "../src/web/app.ts";
import type { AppDeps } from "../src/web/app-deps.ts";

/** Captures everything the app logs, so tests can assert on (and scan) the log output. */
export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(chunk.toString("utf8"));
    done();
  }
  get text(): string {
    return this.lines.join("");
  }
}

export type TestApp = { app: FastifyInstance; deps: AppDeps; logs: LogCapture; clock: { now: Date } };

/**
 * Builds the real app on a test store with a settable clock and captured logs. `env` overrides the
 * configuration the way an operator's environment would.
 */
export async function buildTestApp(
  store: Store,
  dataDir: string,
  env: Record<string, string> = {},
  /** Extra routes a test needs, registered before the app boots. */
  extend?: (app: FastifyInstance) => void,
): Promise<TestApp> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: "info", ...env });
  const logs = new LogCapture();
  const clock = { now: new Date("2026-03-01T09:00:00.000Z") };
  const deps: AppDeps = {
    store,
    config,
    log: createLogger(config.logLevel, logs),
    secret: "test-secret-test-secret-test-secret-00",
    now: () => clock.now,
    // Launches nothing until a test asks for a PDF; CHROMIUM_PATH=/nonexistent in `env` simulates a server without one.
    pdf: new PdfPrinter(findChromium(config.chromiumPath)),
  };
  const app = await buildApp(deps);
  extend?.(app);
  await app.ready();
  return { app, deps, logs, clock };
}

/** Pulls the CSRF cookie and token out of a rendered form so a test can post it back like a browser. */
export function formSession(response: { body: string; cookies: { name: string; value: string }[] }): {
  cookie: string;
  csrf: string;
} {
  const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  // Under an https BASE_URL the cookie carries the __Host- prefix.
  const cookie = response.cookies.find((c) => c.name === "us_csrf" || c.name === "__Host-us_csrf");
  if (!token || !cookie) throw new Error("formSession: the page has no CSRF token or cookie");
  return { cookie: `${cookie.name}=${cookie.value}`, csrf: token };
}

/**
 * What a signer does with the confirmation link: opens it (which only shows the page and its button) and
 * presses Confirm. Returns the page the link showed and the answer to the button (the receipt).
 */
export async function openAndConfirm(
  app: FastifyInstance,
  link: string,
): Promise<{ page: LightMyRequestResponse; receipt: LightMyRequestResponse }> {
  const page = await app.inject({ method: "GET", url: link });
  const session = formSession(page);
  const receipt = await app.inject({
    method: "POST",
    url: link,
    headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: `_csrf=${encodeURIComponent(session.csrf)}`,
  });
  return { page, receipt };
}
