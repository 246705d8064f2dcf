import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/*
 * PDFs are printed by the system Chromium through playwright-core. A cold launch costs about two seconds,
 * so one browser is kept warm and shared; each render gets its own short-lived context (no shared cookies
 * or cache between renders). Chromium is optional: without it the PDF routes answer 503 with instructions.
 */

export const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** Chromium flags that work in containers and closed networks (no sandbox as root, no background traffic). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The configured browser, or the first one installed in a usual place; undefined when there is none. */
export function findChromium(configured?: string): string | undefined {
  if (configured) return existsSync(configured) ? configured : undefined;
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate));
}

export class ChromiumUnavailable extends Error {
  constructor(readonly searched: string[]) {
    super(
      `no Chromium found (looked for ${searched.join(", ")}); install one (e.g. apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
}

export type PdfOptions = {
  /** Page header/footer templates are off; the print stylesheet carries what the document needs. */
  format?: "A4" | "Letter";
};

export class PdfPrinter {
  private browser: Promise<Browser> | undefined;

  constructor(private readonly executablePath: string | undefined) {}

  get available(): boolean {
    return this.executablePath !== undefined;
  }

  private launch(): Promise<Browser> {
    if (!this.executablePath) throw new ChromiumUnavailable(CHROMIUM_CANDIDATES);
    this.browser ??= chromium
      .launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS })
      .then((browser) => {
        // If the browser dies (killed, out of memory), the next render launches a fresh one.
        browser.on("disconnected", () => {
          this.browser = undefined;
        });
        return browser;
      });
    return this.browser;
  }

  /**
   * Prints a URL served by this app. Requests to any other origin are blocked, so a letter can never make
   * the printer fetch a third-party resource.
   */
  async printUrl(url: string, options: PdfOptions = {}): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext();
    try {
      const origin = new URL(url).origin;
      await context.route("**/*", (route) =>
        new URL(route.request().url()).origin === origin ? route.continue() : route.abort("blockedbyclient"),
      );
      const page = await context.newPage();
      const response = await page.goto(url, { waitUntil: "load" });
      if (!response?.ok()) throw new Error(`print source answered ${response?.status() ?? "nothing"}`);
      // Fonts load asynchronously; printing before they are ready would fall back to tofu boxes for Burmese.
      await page.evaluate(() => document.fonts.ready);
      return await page.pdf({
        format: options.format ?? "A4",
        printBackground: true,
        preferCSSPageSize: true,
      });
    } finally {
      await context.close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser).close().catch(() => {});
  }
}
