import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../src/crypto/seal.ts";
import { EXAMPLE_LETTER, EXAMPLE_TRANSLATIONS } from "../src/domain/example-letter.ts";
import { insertCampaign, insertLetter } from "../test/letter-factory.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";

/*
 * What a reader on a slow phone pays, in bytes on the wire: each page opened cold (a fresh browser profile,
 * nothing cached) at phone width, with JavaScript on, every request counted as Chromium transferred it
 * (response headers and the body as sent, compressed or not) until the network is quiet and the fonts are
 * in. The example letter created on first start stands for a real one (endnotes, a Burmese translation,
 * 40 listed signatories, some with Burmese names); it takes no endorsements (its key is a demo key), so the
 * sign form is measured on a letter with the same text whose campaign has a real coalition key (the form
 * then loads its sealing script).
 */

type Weighed = { total: number; requests: { url: string; bytes: number }[] };

/** Limits in kilobytes of 1,000 bytes. */
const SIGNABLE = "end-forced-returns";
const TARGETS = [
  { what: "English letter page", path: `/letters/${EXAMPLE_LETTER.slug}?lang=en`, limit: 25 },
  { what: "Burmese letter page", path: `/letters/${EXAMPLE_LETTER.slug}?lang=my`, limit: 75 },
  { what: "English sign form", path: `/letters/${SIGNABLE}/sign?lang=en`, limit: 40 },
  { what: "Burmese sign form", path: `/letters/${SIGNABLE}/sign?lang=my`, limit: 90 },
] as const;

describe.skipIf(!CHROMIUM.available)(`a reader on a slow phone loads light pages${CHROMIUM.note}`, () => {
  const journey = useJourney();

  beforeAll(async () => {
    const { db } = journey.server().store;
    const campaign = await insertCampaign(db, { name: "No forced returns" });
    const { publicKey } = await generateKeyPair();
    await db.updateTable("campaigns").set({ public_key: publicKey }).where("id", "=", campaign.id).execute();
    await insertLetter(db, {
      campaignId: campaign.id,
      slug: SIGNABLE,
      categories: EXAMPLE_LETTER.categories,
      translations: EXAMPLE_TRANSLATIONS.map((translation) => ({ ...translation })),
    });
  });

  async function weigh(path: string): Promise<Weighed> {
    const context = await journey.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: true,
    });
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const urls = new Map<string, string>();
      const requests: { url: string; bytes: number }[] = [];
      cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
      // encodedDataLength at the end of a load is what DevTools calls "transferred": headers and body as sent.
      cdp.on("Network.loadingFinished", (event) =>
        requests.push({ url: urls.get(event.requestId) ?? "?", bytes: event.encodedDataLength }),
      );
      cdp.on("Network.loadingFailed", (event) =>
        requests.push({ url: `FAILED ${urls.get(event.requestId)} ${event.errorText}`, bytes: 0 }),
      );
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      const response = await page.goto(`${journey.baseUrl()}${path}`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(200);
      await page.evaluate(() => document.fonts.ready);
      await page.waitForLoadState("networkidle");
      return { total: requests.reduce((sum, r) => sum + r.bytes, 0), requests };
    } finally {
      await context.close();
    }
  }

  it("keeps the letter page and the sign form, in English and in Burmese, within their weights", async () => {
    for (const target of TARGETS) {
      const weighed = await weigh(target.path);
      // The figures recorded in docs/performance.md, printed before any check so a failure shows them.
      console.info(
        [
          `${target.what}, cold, phone width: ${(weighed.total / 1000).toFixed(1)} KB (limit ${target.limit} KB)`,
          ...weighed.requests.map((r) => `    ${r.bytes} B  ${r.url.replace(journey.baseUrl(), "")}`),
        ].join("\n"),
      );
      expect(weighed.requests.map((r) => r.url).filter((url) => url.startsWith("FAILED"))).toEqual([]);
      const fonts = weighed.requests.filter((r) => r.url.endsWith(".woff2"));
      const script = weighed.requests.filter((r) => /seal-form\.[0-9a-f]+\.js$/.test(r.url));
      if (target.path.includes("lang=en")) {
        // The language switcher's one Burmese word comes from the small label font, not the whole font. The
        // Burmese names in the English list are drawn with the machine's own Noto Sans Myanmar (site.css).
        expect(fonts.map((f) => new URL(f.url).pathname)).toEqual([
          expect.stringMatching(/^\/assets\/fonts\/myanmar-label\.[0-9a-f]{10}\.woff2$/),
        ]);
      } else {
        // Burmese pages load one weight of the Myanmar font and nothing of the label font.
        expect(fonts.map((f) => new URL(f.url).pathname)).toEqual([
          expect.stringMatching(/^\/assets\/fonts\/noto-sans-myanmar-400\.[0-9a-f]{10}\.woff2$/),
        ]);
      }
      expect(script, "the sign form seals in the browser").toHaveLength(
        target.path.includes("/sign") ? 1 : 0,
      );
      expect(weighed.total, target.what).toBeLessThanOrEqual(target.limit * 1000);
    }
    expect(journey.foreignRequests()).toEqual([]);
    expect(journey.pageErrors()).toEqual([]);
  });
});
