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

/** A file the printed page refers to (stylesheet, font, logo), read by the app without any HTTP. */
export type PrintResource = { body: Buffer; contentType: string };

/** Answers a path of the document's own origin (`/assets/site.css`), or undefined when there is no such file. */
export type PrintResources = (pathname: string) => Promise<PrintResource | undefined>;

/** What to print: the page's HTML, the public address it stands for, and where its files come from. */
export type PrintDocument = { html: string; url: string; resources: PrintResources };

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
   * Prints HTML rendered by this process. Chromium never talks to the network: every request it makes is
   * intercepted; the document itself and files of its own origin are answered from memory and disk, and
   * anything else is refused, so a letter can never make the printer fetch a third-party resource. The page
   * is opened at its public address (rather than `about:blank`) so that relative links in the PDF point at
   * the public site.
   */
  async printHtml(source: PrintDocument, options: PdfOptions = {}): Promise<Buffer> {
    const browser = await this.launch();
    const context = await browser.newContext();
    try {
      const address = new URL(source.url);
      await context.route("**/*", async (route) => {
        const url = new URL(route.request().url());
        if (url.href === address.href)
          return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: source.html });
        if (url.origin !== address.origin || route.request().method() !== "GET")
          return route.abort("blockedbyclient");
        const file = await source.resources(url.pathname);
        if (!file) return route.fulfill({ status: 404, body: "" });
        return route.fulfill({ status: 200, contentType: file.contentType, body: file.body });
      });
      const page = await context.newPage();
      await page.goto(address.href, { waitUntil: "load" });
      // Fonts load asynchronously; printing before they are ready would fall back to tofu boxes for Burmese.
      await page.evaluate(() => document.fonts.ready);
      return await page.pdf({
        format: options.format ?? "A4",
        printBackground: true,
        preferCSSPageSize: true,
        // A tagged PDF (headings, paragraphs, lists, reading order) for screen readers, with bookmarks.
        tagged: true,
        outline: true,
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
