import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../test/app.ts";
import { openStore, type Store } from "../store/db.ts";
import { migrateToLatest } from "../store/migrate.ts";
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
    let store: Store;
    let t: TestApp;
    let base: string;
    const printer = new PdfPrinter(executable);

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-pdf-"));
      store = await openStore({ dataDir });
      await migrateToLatest(store.db);
      // A page of the app's own origin using the self-hosted Burmese font, and one pulling a foreign image.
      t = await buildTestApp(store, dataDir, {}, (app) =>
        app.get("/print-probe", async (_request, reply) =>
          reply
            .type("text/html; charset=utf-8")
            .send(
              '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/assets/site.css"></head>' +
                '<body><h1>Probe letter</h1><p lang="my">မြန်မာနိုင်ငံ လူ့အခွင့်အရေး</p>' +
                '<img src="http://192.0.2.1/tracker.png" alt=""></body></html>',
            ),
        ),
      );
      base = await t.app.listen({ port: 0, host: "127.0.0.1" });
    });

    afterAll(async () => {
      await printer.close();
      await t.app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("prints a page of our origin to PDF with the self-hosted Burmese font embedded", async () => {
      const pdf = await printer.printUrl(`${base}/print-probe`);
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      if (hasPoppler) {
        const file = path.join(dataDir, "probe.pdf");
        writeFileSync(file, pdf);
        expect(execFileSync("pdffonts", [file]).toString()).toMatch(/NotoSansMyanmar/);
        expect(execFileSync("pdftotext", [file, "-"]).toString()).toContain("Probe letter");
      }
    });

    it("keeps one browser warm: a second print reuses it and is valid", async () => {
      const again = await printer.printUrl(`${base}/print-probe`);
      expect(again.subarray(0, 5).toString()).toBe("%PDF-");
    });

    it("refuses to print a page that does not answer 200", async () => {
      await expect(printer.printUrl(`${base}/no-such-page`)).rejects.toThrow(/answered 404/);
    });
  },
);
