import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetUrl } from "../web/http/static-assets.ts";
import { printResources } from "../web/letter-print.ts";
import { findChromium, PdfPrinter } from "./chromium.ts";

const executable = findChromium(process.env.CHROMIUM_PATH);
const hasPoppler = (() => {
  try {
    execFileSync("pdffonts", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("findChromium", () => {
  it("returns nothing for a configured path that does not exist", () => {
    expect(findChromium("/nonexistent/chromium")).toBeUndefined();
  });
});

describe.skipIf(!executable)(
  `printing with Chromium${executable ? "" : " (skipped: no Chromium; apt-get install chromium or set CHROMIUM_PATH)"}`,
  () => {
    let dataDir: string;
    let foreign: Server;
    let foreignOrigin: string;
    let foreignHits = 0;
    const printer = new PdfPrinter(executable);
    const asked: string[] = [];

    /** The files of a page of our origin: the app's real stylesheet and font, each request recorded. */
    const probe = (html: string) => ({
      html,
      url: "https://letters.example.org/letters/probe/print?lang=en",
      resources: async (pathname: string) => {
        asked.push(pathname);
        return printResources(dataDir)(pathname);
      },
    });

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-pdf-"));
      // A server standing for a third party: the printer must never reach it.
      foreign = createServer((_request, response) => {
        foreignHits++;
        response.end("tracked");
      });
      await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
      foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await printer.close();
      await new Promise((resolve) => foreign.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("prints HTML with the self-hosted Burmese font embedded, and reaches no other origin", async () => {
      const pdf = await printer.printHtml(
        probe(
          '<!doctype html><html lang="my"><head><meta charset="utf-8"><link rel="stylesheet" href="/assets/site.css"></head>' +
            '<body><h1>Probe letter</h1><p lang="my">မြန်မာနိုင်ငံ လူ့အခွင့်အရေး</p>' +
            `<img src="${foreignOrigin}/tracker.png" alt=""><a href="/letters/probe">the letter</a></body></html>`,
        ),
      );
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      expect(asked).toContain("/assets/site.css");
      expect(asked).toContain(assetUrl("fonts/noto-sans-myanmar-400.woff2"));
      expect(foreignHits).toBe(0);
      // A relative link points at the public address the page stands for.
      expect(pdf.toString("latin1")).toContain("https://letters.example.org/letters/probe");
      if (hasPoppler) {
        const file = path.join(dataDir, "probe.pdf");
        writeFileSync(file, pdf);
        expect(execFileSync("pdffonts", [file]).toString()).toMatch(/NotoSansMyanmar/);
        expect(execFileSync("pdftotext", [file, "-"]).toString()).toContain("Probe letter");
      }
    });

    it("keeps one browser warm: a second print reuses it and is valid", async () => {
      const again = await printer.printHtml(probe("<!doctype html><p>Second print</p>"));
      expect(again.subarray(0, 5).toString()).toBe("%PDF-");
    });
  },
);
