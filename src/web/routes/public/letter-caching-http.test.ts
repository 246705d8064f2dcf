import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../../test/databases.ts";
import { loadedResources } from "../../../../test/html-tags.ts";
import { insertSignatures } from "../../../../test/letter-factory.ts";
import {
  BASE_URL,
  listed,
  referenceTranslation,
  statementOf,
  undisclosed,
  useLetterReading,
} from "../../../../test/letter-reading.ts";
import { letterChanged } from "../../../store/letter-changes.ts";
import { assetUrl } from "../../http/static-assets.ts";

/*
 * How the letter page is cached over HTTP: compressed per encoding with its own ETag, Cache-Control, 304 on
 * If-None-Match, canonical URL and cards, and the cache kept until letterChanged() or its time-to-live.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`caching a letter page on ${dialect.label}`, () => {
    const { db, get, letterWith } = useLetterReading(dialect.name);
    it("serves the cached page compressed to browsers that accept it, each encoding with its own ETag", async () => {
      const letter = await letterWith(listed(150));
      const plain = await get(`/letters/${letter.slug}`);
      const br = await get(`/letters/${letter.slug}`, { "accept-encoding": "gzip, deflate, br" });
      const gz = await get(`/letters/${letter.slug}`, { "accept-encoding": "gzip" });
      const refused = await get(`/letters/${letter.slug}`, { "accept-encoding": "br;q=0, gzip;q=0" });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(br.headers["content-encoding"]).toBe("br");
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(refused.headers["content-encoding"]).toBeUndefined();
      expect(brotliDecompressSync(br.rawPayload).toString("utf8")).toBe(plain.body);
      expect(gunzipSync(gz.rawPayload).toString("utf8")).toBe(plain.body);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(String(br.headers.vary)).toContain("Accept-Encoding");
      expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
      const revalidated = await get(`/letters/${letter.slug}`, {
        "accept-encoding": "br",
        "if-none-match": String(br.headers.etag),
      });
      expect(revalidated.statusCode).toBe(304);
    });

    it("is cacheable: Cache-Control, a strong ETag, 304 on If-None-Match, canonical URL and cards", async () => {
      const letter = await letterWith(listed(2), {
        translations: [referenceTranslation("en"), referenceTranslation("my")],
      });
      const res = await get(`/letters/${letter.slug}`);
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
      expect(res.headers["set-cookie"]).toBeUndefined();
      const etag = String(res.headers.etag);
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
      const again = await get(`/letters/${letter.slug}`, { "if-none-match": etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe("");
      expect(
        (await get(`/letters/${letter.slug}`, { "if-none-match": `"other", W/${etag}` })).statusCode,
      ).toBe(304);
      expect((await get(`/letters/${letter.slug}`, { "if-none-match": '"stale"' })).statusCode).toBe(200);
      // Each language is its own representation.
      const burmese = await get(`/letters/${letter.slug}`, { "accept-language": "my" });
      expect(burmese.headers.etag).not.toBe(etag);

      const html = res.body;
      expect(html).toContain(`<link rel="canonical" href="${BASE_URL}/letters/${letter.slug}"/>`);
      expect(html).toContain(
        `<link rel="alternate" hreflang="my" href="${BASE_URL}/letters/${letter.slug}?lang=my"/>`,
      );
      expect(html).toContain(
        '<meta property="og:title" content="Joint letter on a regional training exercise"/>',
      );
      expect(html).toContain(`<meta property="og:url" content="${BASE_URL}/letters/${letter.slug}"/>`);
      expect(html).toContain('<meta name="twitter:card" content="summary"/>');
      expect(html).toContain("This letter is endorsed by 2 organisations, all listed below.");
      expect(burmese.body).toContain(
        `<link rel="canonical" href="${BASE_URL}/letters/${letter.slug}?lang=my"/>`,
      );
      // Nothing from another origin: every target is on this site (or is the canonical/card URL of it).
      const loaded = loadedResources(html);
      expect(loaded).toContain(assetUrl("site.css"));
      for (const target of loaded) {
        expect([target, target.startsWith("/") && !target.startsWith("//")]).toEqual([target, true]);
      }
    });

    it("serves the cached page until letterChanged() or the time-to-live says otherwise", async () => {
      const letter = await letterWith(listed(2));
      const first = await get(`/letters/${letter.slug}`);
      expect(statementOf(first.body)).toBe("This letter is endorsed by 2 organisations, all listed below.");
      await insertSignatures(db(), letter, undisclosed(1));
      const cached = await get(`/letters/${letter.slug}`);
      expect(cached.headers.etag).toBe(first.headers.etag);
      letterChanged(letter.id);
      const fresh = await get(`/letters/${letter.slug}`);
      expect(fresh.headers.etag).not.toBe(first.headers.etag);
      expect(statementOf(fresh.body)).toBe(
        "This letter is endorsed by 3 organisations, including the 2 organisations listed below and 1 organisation which has chosen not to disclose its name.",
      );
      // The full list and the CSV are invalidated with it.
      await insertSignatures(
        db(),
        letter,
        listed(1, () => ({ displayName: "Newly Approved Group" })),
      );
      letterChanged(letter.id);
      expect((await get(`/letters/${letter.slug}/signatories.csv`)).body).toContain("Newly Approved Group");
      const list = (await get(`/letters/${letter.slug}/signatories`)).body;
      expect(list).toContain("Newly Approved Group");
    });
  });
}
