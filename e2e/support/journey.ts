import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
  type Request,
} from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type Config, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { CHROMIUM_ARGS, findChromium } from "../../src/pdf/chromium.ts";
import { type RunningServer, startServer } from "../../src/web/server.ts";

/*
 * Browser journeys run the real server in this process (the same startServer as `undersigned serve`, on a
 * free port with a fresh DATA_DIR and SQLite) and drive the system Chromium through playwright-core.
 *
 *   describe.skipIf(!CHROMIUM.available)(`a person does something${CHROMIUM.note}`, () => {
 *     const journey = useJourney();
 *     it("…", async () => { const page = journey.page(); … });
 *   });
 */

const executablePath = findChromium(process.env.CHROMIUM_PATH);
const available = executablePath !== undefined;

export const CHROMIUM = {
  available,
  note: available
    ? ""
    : ` (skipped: no Chromium found; install one with "apt-get install chromium" or set CHROMIUM_PATH)`,
};
// CI sets REQUIRE_CHROMIUM so a missing browser fails the run instead of silently skipping every journey.
if (!available && process.env.REQUIRE_CHROMIUM)
  throw new Error(`REQUIRE_CHROMIUM is set but${CHROMIUM.note}`);
if (!available) process.stderr.write(`browser journeys skipped:${CHROMIUM.note}\n`);

/** One request as the browser sent it, for proving what left the browser. */
export type SentRequest = {
  url: string;
  method: string;
  headers: Record<string, string>;
  postData: Buffer | null;
};

export type Journey = {
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  baseUrl(): string;
  server(): RunningServer;
  config(): Config;
  /**
   * A directory standing for the person's own machine (e.g. where a coordinator keeps the coalition key
   * file), apart from the server's DATA_DIR; removed afterwards.
   */
  workDir(): string;
  /** Lines the server announced to its operator (serving, mail, set-up link). */
  announced(): string[];
  page(): Page;
  context(): BrowserContext;
  /** Another context in the same browser (e.g. JavaScript off, another locale), watched like the first. */
  newContext(options: BrowserContextOptions): Promise<BrowserContext>;
  /** Every request the browser made to an origin other than the server's: should stay empty. */
  foreignRequests(): string[];
  /** Every request the browser made so far, in every context, with all its headers and body. */
  sentRequests(): Promise<SentRequest[]>;
  /** Console errors (failed loads, CSP violations, script errors) reported by the pages: should stay empty. */
  pageErrors(): string[];
};

/**
 * Starts a server and a browser for the enclosing describe block, and closes both afterwards. `env` adds
 * configuration read when the server starts (e.g. SMTP_URL of a peer started by an earlier beforeAll).
 */
export function useJourney(options: { env?: () => Record<string, string> } = {}): Journey {
  let dataDir = "";
  let workDir = "";
  let config: Config | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let baseUrl = "";
  const announced: string[] = [];
  const foreign: string[] = [];
  const sent: Request[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-e2e-"));
    workDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-e2e-person-"));
    const port = await freePort();
    config = loadConfig({
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...options.env?.(),
    });
    baseUrl = config.baseUrl;
    server = await startServer(config, createLogger(config.logLevel), (line) => announced.push(line));

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    context = await watchedContext({ locale: "en-GB" });
    page = await context.newPage();
  });

  const watchedContext = async (options: BrowserContextOptions): Promise<BrowserContext> => {
    const watched = await required(browser, "browser").newContext(options);
    watched.on("request", (request) => {
      sent.push(request);
      if (new URL(request.url()).origin !== baseUrl) foreign.push(request.url());
    });
    watched.on("page", (opened) => {
      opened.on("console", (message) => {
        if (message.type() === "error") errors.push(`${message.text()} ${message.location().url}`);
      });
      opened.on("pageerror", (error) => errors.push(error.message));
    });
    return watched;
  };

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useJourney: the ${what} starts in beforeAll`);
    return value;
  };
  return {
    baseUrl: () => baseUrl,
    server: () => required(server, "server"),
    config: () => required(config, "server"),
    workDir: () => required(workDir || undefined, "server"),
    announced: () => announced,
    page: () => required(page, "browser"),
    context: () => required(context, "browser"),
    newContext: watchedContext,
    foreignRequests: () => foreign,
    // allHeaders() includes what the network stack adds (cookies); read while the contexts are still open.
    sentRequests: () =>
      Promise.all(
        sent.map(async (request) => ({
          url: request.url(),
          method: request.method(),
          headers: await request.allHeaders(),
          postData: request.postDataBuffer(),
        })),
      ),
    pageErrors: () => errors,
  };
}

/** A port nobody listens on right now; the server binds it a moment later. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
