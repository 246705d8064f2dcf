import { execFileSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildTestApp, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertLetterInNewCampaign, insertSignatures } from "../../../../test/letter-factory.ts";
import { createExampleCampaign } from "../../../commands/create-example-campaign.ts";
import { EXAMPLE_LETTER } from "../../../domain/example-letter.ts";
import { findChromium } from "../../../pdf/chromium.ts";
import { letterChanged } from "../../../store/letter-changes.ts";

/*
 * The PDF printed by the system Chromium: letter, endnotes, count statement and the full annex, Burmese
 * shaped with the self-hosted font, cached on disk by version and counts, and nothing executable in it.
 */

const chromium = findChromium(process.env.CHROMIUM_PATH);
const skipNote = chromium
  ? ""
  : ' (skipped: no Chromium found; install one with "apt-get install chromium" or set CHROMIUM_PATH)';
if (!chromium) process.stderr.write(`letter PDF tests${skipNote}\n`);

/** Runs a poppler tool on a PDF held in memory. */
function poppler(dir: string, tool: string, bytes: Buffer, ...args: string[]): string {
  const file = path.join(dir, `check-${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync(tool, [...args, file, ...(tool === "pdftotext" ? ["-"] : [])], { encoding: "utf8" });
}

type Word = { text: string; yMin: number; yMax: number };

/** Each page's height and words with their vertical position (pdftotext -bbox), top of the page at 0. */
function pagesOf(dir: string, bytes: Buffer): { height: number; words: Word[] }[] {
  const html = poppler(dir, "pdftotext", bytes, "-bbox");
  return [...html.matchAll(/<page width="[\d.]+" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((page) => ({
    height: Number(page[1]),
    words: [
      ...page[2]!.matchAll(
        /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
      ),
    ].map((w) => ({ text: w[3]!, yMin: Number(w[1]), yMax: Number(w[2]) })),
  }));
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available || !chromium)(`the letter PDF on ${dialect.label}${skipNote}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir());
      app = test.app;
      return () => app.close();
    }, 60_000);

    it("prints the example letter for paper and screen readers: tagged, numbered, notes after the letter", async () => {
      // First, while the database has no campaign: the example is made only on an empty one.
      expect((await createExampleCampaign(test.deps, test.clock.now)).created).toBe(true);
      const res = await app.inject(`/letters/${EXAMPLE_LETTER.slug}.pdf`);
      expect(res.statusCode).toBe(200);
      const dir = store.dataDir();
      expect(poppler(dir, "pdfinfo", res.rawPayload)).toMatch(/^Tagged:\s+yes$/m);

      const pages = pagesOf(dir, res.rawPayload);
      expect(pages.length).toBeGreaterThan(2);
      // Every page ends with its number out of all of them.
      pages.forEach((page, i) => {
        const footer = page.words.slice(-3).map((w) => w.text);
        expect(footer).toEqual([String(i + 1), "/", String(pages.length)]);
      });
      // The notes follow the letter without a page break: the example letter ends mid-page, and its notes
      // start below it on the same page, not after a mostly blank one.
      const notesPage = pages.findIndex((page) => page.words.some((w) => w.text === "Notes"));
      expect(notesPage).toBeGreaterThan(0);
      const heading = pages[notesPage]!.words.find((w) => w.text === "Notes")!;
      const above = pages[notesPage]!.words.filter((w) => w.yMax < heading.yMin).map((w) => w.text);
      expect(above.join(" ")).toContain("This letter is endorsed by 65 organisations");

      const text = poppler(dir, "pdftotext", res.rawPayload).replace(/\s+/g, " ");
      // The publisher, before the annex, with the addresses of its links, which paper cannot follow.
      expect(text).toContain(
        "About the publisher Example Coalition for Refugee Protection (demo) <https://example.org/ecrp>",
      );
      expect(text).toContain(
        "Website <https://example.org/ecrp> Mastodon <https://social.example.org/@ecrp>",
      );
      expect(text.indexOf("About the publisher")).toBeLessThan(text.indexOf("Annex: signatories"));
      // An address already written out in a note is printed once; the notes' back arrows are for screens.
      expect(text.split("https://example.org/ehro/regional-visit")).toHaveLength(2);
      expect(text).not.toMatch(/\u21a9/);

      // Burmese pages are numbered in Burmese digits.
      const burmese = pagesOf(
        dir,
        (await app.inject(`/letters/${EXAMPLE_LETTER.slug}.pdf?lang=my`)).rawPayload,
      );
      expect(burmese[0]!.words.slice(-3).map((w) => w.text)).toEqual([
        "၁",
        "/",
        String(burmese.length).replace(/\d/g, (d) => String.fromCharCode(0x1040 + Number(d))),
      ]);
    }, 60_000);

    it("prints the letter, endnotes, count statement and full annex, renders once per version and counts", async () => {
      const { db } = store.current();
      const { letter } = await insertLetterInNewCampaign(db, [
        {
          language: "en",
          title: "Printed letter",
          body: "We, the undersigned {{total}} organisations, ask.[^a]\n\n[^a]: A printed source, https://example.org/printed",
        },
        { language: "my", title: "ပုံနှိပ်ထားသော ပေးစာ", body: "ကျွန်ုပ်တို့ အဖွဲ့အစည်း {{total}} ဖွဲ့သည် တောင်းဆိုပါသည်။" },
      ]);
      await insertSignatures(db, letter, [
        ...Array.from({ length: 300 }, (_, i) => ({ displayName: `Annex Organisation ${i + 1}` })),
        { displayName: "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်" },
        { visibility: "undisclosed" as const },
      ]);
      const printed = vi.spyOn(test.deps.pdf, "printHtml");

      const res = await app.inject(`/letters/${letter.slug}.pdf`);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("application/pdf");
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
      const text = poppler(store.dataDir(), "pdftotext", res.rawPayload, "-layout");
      expect(text).toContain("Printed letter");
      expect(text).toContain("We, the undersigned 302 organisations, ask.");
      expect(text).toContain("A printed source");
      expect(text.replace(/\s+/g, " ")).toContain(
        "This letter is endorsed by 302 organisations, including the 301 organisations listed below and 1 organisation which has chosen not to disclose its name.",
      );
      expect(text).toContain("Annex: signatories");
      for (const n of [1, 150, 300]) expect(text).toContain(`Annex Organisation ${n}`);
      expect(printed).toHaveBeenCalledTimes(1);

      // Cached on disk: a second download renders nothing and answers 304 to a revalidation.
      const again = await app.inject(`/letters/${letter.slug}.pdf`);
      expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
      expect(printed).toHaveBeenCalledTimes(1);
      expect(
        (
          await app.inject({
            url: `/letters/${letter.slug}.pdf`,
            headers: { "if-none-match": String(res.headers.etag) },
          })
        ).statusCode,
      ).toBe(304);
      const cached = readdirSync(path.join(store.dataDir(), "pdf-cache")).filter((f) =>
        f.startsWith(`${letter.id}-en-`),
      );
      expect(cached).toHaveLength(1);
      // Private to the server's user, like everything in DATA_DIR.
      expect(statSync(path.join(store.dataDir(), "pdf-cache")).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(store.dataDir(), "pdf-cache", cached[0]!)).mode & 0o777).toBe(0o600);

      // New counts: a new PDF, and the superseded one is removed.
      await insertSignatures(db, letter, [{ displayName: "Late Signatory" }]);
      letterChanged(letter.id);
      const updated = await app.inject(`/letters/${letter.slug}.pdf`);
      expect(printed).toHaveBeenCalledTimes(2);
      expect(poppler(store.dataDir(), "pdftotext", updated.rawPayload)).toContain("Late Signatory");
      expect(
        readdirSync(path.join(store.dataDir(), "pdf-cache")).filter((f) => f.startsWith(`${letter.id}-en-`)),
      ).toHaveLength(1);

      // Burmese: shaped with the self-hosted Noto Sans Myanmar, Myanmar digits in the count.
      const burmese = await app.inject(`/letters/${letter.slug}.pdf?lang=my`);
      expect(burmese.statusCode).toBe(200);
      expect(poppler(store.dataDir(), "pdffonts", burmese.rawPayload)).toMatch(/NotoSansMyanmar/);
      expect(poppler(store.dataDir(), "pdftotext", burmese.rawPayload)).toContain("၃၀၃");
      printed.mockRestore();
    }, 60_000);

    it("carries nothing executable: no script, no javascript: link, whatever the letter contains", async () => {
      const { db } = store.current();
      const { letter } = await insertLetterInNewCampaign(db, [
        {
          language: "en",
          title: "<script>alert(1)</script>",
          addressees: [{ heading: "<img src=x onerror=alert(2)>", names: ["<svg onload=alert(3)>"] }],
          body: "[a](javascript:alert(4)) [b](java\tscript:alert(5)) [c](&#106;avascript:alert(6)) [ok](https://example.org/ok)[^n]\n\n[^n]: [d](JAVASCRIPT:alert(7)) <script>alert(8)</script>",
          publisherAbout: "<iframe src=javascript:alert(9)>",
        },
      ]);
      await db
        .updateTable("letters")
        .set({
          publisher_name: "Publisher",
          publisher_links: JSON.stringify([{ label: "x", url: "javascript:alert(10)" }]),
        })
        .where("id", "=", letter.id)
        .execute();
      await insertSignatures(db, letter, [
        { displayName: "<script>alert(11)</script>", website: "javascript:alert(12)" },
      ]);

      const res = await app.inject(`/letters/${letter.slug}.pdf`);
      expect(res.statusCode).toBe(200);
      const raw = res.rawPayload.toString("latin1");
      const uris = [...raw.matchAll(/\/URI\s*\(([^)]*)\)/g)].map((m) => m[1]!);
      expect(uris).toContain("https://example.org/ok");
      for (const uri of uris) expect(uri).toMatch(/^(https?:|mailto:)/);
      expect(raw).not.toMatch(/\/JavaScript|\/JS\s|\/Launch|\/SubmitForm/);
      expect(poppler(store.dataDir(), "pdfinfo", res.rawPayload, "-js")).not.toMatch(/alert/);
      const text = poppler(store.dataDir(), "pdftotext", res.rawPayload);
      // The attacks are printed as the text they are.
      expect(text).toContain("<script>alert(1)</script>");
    }, 60_000);
  });
}
