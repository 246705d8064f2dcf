/*
 * Regenerates docs/screenshots/: the example letter page at a phone's width and the first page of its PDF,
 * in English and in Burmese. Run: npx tsx e2e/take-screenshots.ts  (needs Chromium and poppler-utils)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { loadConfig } from "../src/config.ts";
import { EXAMPLE_LETTER } from "../src/domain/example-letter.ts";
import { createLogger } from "../src/log.ts";
import { CHROMIUM_ARGS, findChromium } from "../src/pdf/chromium.ts";
import { startServer } from "../src/web/server.ts";
import { screenshotWithFonts } from "./support/screenshot.ts";

const executablePath = findChromium(process.env.CHROMIUM_PATH);
if (!executablePath) {
  console.error('No Chromium found: install one with "apt-get install chromium" or set CHROMIUM_PATH.');
  process.exit(1);
}
const out = path.resolve("docs/screenshots");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-shots-"));
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const config = loadConfig({ PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "warn" });
const server = await startServer(config, createLogger("warn"), () => {});
const origin = config.baseUrl;
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  // A mid-range phone: where most readers of these letters are.
  const context = await browser.newContext({ viewport: { width: 390, height: 1400 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  for (const lang of ["en", "my"]) {
    await page.goto(`${origin}/letters/${EXAMPLE_LETTER.slug}?lang=${lang}`);
    await screenshotWithFonts(page, path.join(out, `letter-page-${lang}.png`), false);
    const pdf = await fetch(`${origin}/letters/${EXAMPLE_LETTER.slug}.pdf?lang=${lang}`);
    if (!pdf.ok) throw new Error(`PDF answered ${pdf.status}`);
    const pdfFile = path.join(dataDir, `letter-${lang}.pdf`);
    writeFileSync(pdfFile, Buffer.from(await pdf.arrayBuffer()));
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "80",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      pdfFile,
      path.join(out, `letter-pdf-${lang}`),
    ]);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`screenshots written to ${out}`);
