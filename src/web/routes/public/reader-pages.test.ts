import { gzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";
import { createExampleCampaign } from "../../../commands/create-example-campaign.ts";
import { EXAMPLE_CAMPAIGN, EXAMPLE_LETTER } from "../../../domain/example-letter.ts";
import { assetUrl } from "../../http/static-assets.ts";

/*
 * What every public page owes a reader whatever the letter: counts in lists that read naturally, every
 * piece of Burmese marked lang="my" (and English shown on a Burmese page marked lang="en"), an icon
 * instead of a 404, and a first view of the letter light enough for a slow phone connection.
 */

const MYANMAR = /[\u1000-\u109F]/;
const VOID = new Set(["meta", "link", "input", "br", "img", "hr", "source", "wbr"]);

/**
 * Each text node of a page's body with the language it is in (the nearest lang attribute). The pages are
 * preact's output, well-formed by construction, so a tokenizer is enough.
 */
function textLanguages(html: string): { text: string; lang: string }[] {
  const body = html.slice(html.indexOf("<body"));
  const stack: { tag: string; lang: string }[] = [
    { tag: "html", lang: /<html lang="([^"]+)"/.exec(html)?.[1] ?? "" },
  ];
  const texts: { text: string; lang: string }[] = [];
  for (const [, closing, tag, attributes, text] of body.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|([^<]+)/g)) {
    const lang = stack.at(-1)!.lang;
    if (text !== undefined) {
      if (text.trim()) texts.push({ text: text.trim(), lang });
    } else if (closing) {
      while (stack.length > 1 && stack.pop()!.tag !== tag);
    } else if (!VOID.has(tag!)) {
      stack.push({ tag: tag!, lang: / lang="([^"]+)"/.exec(attributes!)?.[1] ?? lang });
    }
  }
  return texts;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`what every reader page owes, on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    const get = (url: string) => app.inject({ method: "GET", url });
    let single = "";
    let both = "";
    let englishOnly = "";
    const campaignSlug = "schools-are-not-targets";

    beforeAll(async () => {
      // A server without Chromium, so the PDF's 503 page is among the pages checked.
      const test = await buildTestApp(store.current(), store.dataDir(), {
        CHROMIUM_PATH: "/nonexistent/chromium",
      });
      app = test.app;
      await createExampleCampaign(test.deps, test.clock.now);
      const { db } = store.current();
      const campaign = await insertCampaign(db, { slug: campaignSlug, name: "ကျောင်းများ ပစ်မှတ်မဟုတ်" });
      const letter = (position: number, title: string, signers: "organisations" | "both" = "organisations") =>
        insertLetter(db, {
          campaignId: campaign.id,
          position,
          signers,
          categories: ["Myanmar", "international"],
          translations: [
            { language: "en", title },
            { language: "my", title: `${title} (မြန်မာ)` },
          ],
        });
      const one = await letter(1, "One endorsement");
      await insertSignatures(db, one, [
        {
          displayName: "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်",
          displayNameAlt: "Myanmar Human Rights Network",
          category: "Myanmar",
          country: "Myanmar",
        },
      ]);
      single = one.slug;
      const mixed = await letter(2, "Organisations and people", "both");
      await insertSignatures(db, mixed, [
        { displayName: "Teachers Union", category: "international", country: "France" },
        { visibility: "undisclosed" },
        { displayName: "Daw Aye Aye", kind: "individual" },
      ]);
      both = mixed.slug;
      await letter(3, "Nobody yet");
      const onlyEnglish = await insertLetter(db, {
        campaignId: campaign.id,
        position: 4,
        translations: [{ language: "en", title: "Only in English" }],
      });
      await insertSignatures(db, onlyEnglish, [{ displayName: "Rivers Network", category: "regional" }]);
      englishOnly = onlyEnglish.slug;
      return () => app.close();
    });

    it("says 1 organisation, 0 as not endorsed yet, and both kinds, on the home and campaign pages", async () => {
      for (const url of ["/", `/campaigns/${campaignSlug}`]) {
        const english = (await get(url)).body;
        expect(english).toContain("Endorsed by 1 organisation<");
        expect(english).toContain("Endorsed by 2 organisations and 1 individual");
        expect(english).toContain("Not endorsed yet");
        expect(english).not.toMatch(/\b1 (organisations|individuals)/);
        const burmese = (await get(`${url}?lang=my`)).body;
        expect(burmese).toContain("အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားသည်");
        expect(burmese).toContain("အဖွဲ့အစည်း ၂ ဖွဲ့နှင့် ပုဂ္ဂိုလ် ၁ ဦးက ထောက်ခံထားသည်");
        expect(burmese).toContain("ထောက်ခံသူ မရှိသေးပါ");
      }
      expect((await get("/")).body).toContain("Endorsed by 65 organisations");
    });

    it("says which one of one the list shows, not a range from 1 to 1", async () => {
      expect((await get(`/letters/${single}/signatories`)).body).toContain("Showing 1 of 1");
      expect((await get(`/letters/${single}/signatories?lang=my`)).body).toContain("၁ အနက် ၁ ကို ပြသထားသည်");
    });

    it("marks every piece of Burmese on every public page lang=my, in both languages", async () => {
      const slug = EXAMPLE_LETTER.slug;
      const pages = [
        "/",
        `/campaigns/${EXAMPLE_CAMPAIGN.slug}`,
        `/campaigns/${campaignSlug}`,
        `/letters/${slug}`,
        `/letters/${slug}/signatories`,
        `/letters/${slug}/signatories?q=zzz-no-match`,
        `/letters/${slug}/print`,
        `/letters/${slug}.pdf`,
        `/letters/${single}`,
        `/letters/${single}/signatories`,
        `/letters/${englishOnly}`,
        `/letters/${englishOnly}/signatories`,
        "/no-such-page",
      ];
      for (const page of pages) {
        for (const lang of ["en", "my"]) {
          const url = `${page}${page.includes("?") ? "&" : "?"}lang=${lang}`;
          const misplaced = textLanguages((await get(url)).body).filter(
            (t) => MYANMAR.test(t.text) && t.lang !== "my",
          );
          expect([url, misplaced]).toEqual([url, []]);
        }
      }
    });

    it("marks English shown on a Burmese page lang=en: names, categories, a title that falls back", async () => {
      const letter = (await get(`/letters/${single}?lang=my`)).body;
      expect(letter).toContain('<h3 lang="en">Myanmar</h3>');
      expect(letter).toContain('(<span lang="en">Myanmar Human Rights Network</span>)');
      expect(letter).toContain('<span class="muted" lang="en"> · Myanmar</span>');
      const english = (await get(`/letters/${single}`)).body;
      expect(english).toContain('<span lang="my">မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်</span>');
      expect(english).toContain(
        '<a href="/campaigns/schools-are-not-targets">Part of the campaign: <span lang="my">',
      );
      const list = (await get(`/letters/${englishOnly}/signatories?lang=my`)).body;
      expect(list).toContain('<span lang="en">Only in English</span>');
      expect(list).toMatch(/<h2 id="group-0" class="group-label" lang="en">regional<\/h2>/);
      expect(list).toContain('<option value="regional" lang="en">regional</option>');
      const campaign = (await get(`/campaigns/${campaignSlug}`)).body;
      expect(campaign).toContain('<h1 lang="my">ကျောင်းများ ပစ်မှတ်မဟုတ်</h1>');
    });

    it("names its icon on every page and answers /favicon.ico without a 404", async () => {
      for (const url of [
        "/",
        `/letters/${EXAMPLE_LETTER.slug}`,
        `/letters/${both}/signatories`,
        "/no-such-page",
      ]) {
        expect((await get(url)).body).toContain(
          `<link rel="icon" href="${assetUrl("favicon.svg")}" type="image/svg+xml"/>`,
        );
      }
      const icon = await get(assetUrl("favicon.svg"));
      expect(icon.statusCode).toBe(200);
      expect(icon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      const ico = await get("/favicon.ico");
      expect(ico.statusCode).toBe(204);
      expect(ico.rawPayload).toHaveLength(0);
      expect(ico.headers["cache-control"]).toBe("public, max-age=604800");
    });

    it("keeps the example letter's first view, everything but fonts, under 100 KB", async () => {
      const weights: string[] = [];
      for (const lang of ["en", "my"]) {
        const html = (await get(`/letters/${EXAMPLE_LETTER.slug}?lang=${lang}`)).rawPayload;
        // Everything the page makes the browser fetch before fonts: stylesheets, the icon, images.
        const loaded = [
          ...html
            .toString("utf8")
            .matchAll(/<link rel="(?:stylesheet|icon)" href="([^"]+)"|<img [^>]*src="([^"]+)"/g),
        ].map((m) => (m[1] ?? m[2])!);
        expect(loaded).toContain(assetUrl("site.css"));
        const parts = [html, ...(await Promise.all(loaded.map(async (url) => (await get(url)).rawPayload)))];
        const bytes = parts.reduce((n, part) => n + part.length, 0);
        const gzipped = parts.reduce((n, part) => n + gzipSync(part).length, 0);
        expect(bytes).toBeLessThan(100 * 1024);
        weights.push(
          `${lang}: HTML ${html.length} B + ${loaded.join(", ")} ${bytes - html.length} B = ${bytes} B (${gzipped} B gzipped)`,
        );
      }
      // The figure recorded in docs/performance.md.
      console.info(`first view of ${EXAMPLE_LETTER.slug}, before fonts:\n  ${weights.join("\n  ")}`);
    });
  });
}
