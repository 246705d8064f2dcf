import { readFileSync } from "node:fs";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { insertUser } from "../../../test/accounts.ts";
import { buildTestApp, formSession } from "../../../test/app.ts";
import { csrfOf, FORM, getAs, signIn } from "../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../test/databases.ts";
import {
  BURMESE_IN_BURMESE,
  MYANMAR_LABEL_FONT,
  subsetMyanmarLabelFont,
} from "../browser/myanmar-label-font.ts";
import { assetUrl } from "./static-assets.ts";

/*
 * What a phone on a slow connection gets: assets under names that change with their content, kept for a
 * year and sent compressed; public pages compressed, with a form token that never repeats from one page to
 * the next; console pages, which hold secrets, sent as they are. The bytes a browser actually transfers are
 * held by the page-weight journey in e2e/.
 */

const BR = { "accept-encoding": "br, gzip" };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`assets and compression on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: "GET", url, headers });

    beforeAll(async () => {
      app = (await buildTestApp(store.current(), store.dataDir())).app;
      return () => app.close();
    });

    it("serves each asset under a name carrying its digest, for a year, compressed when text", async () => {
      const page = (await get("/admin/login")).body;
      const sheet = assetUrl("site.css");
      expect(sheet).toMatch(/^\/assets\/site\.[0-9a-f]{10}\.css$/);
      expect(page).toContain(`<link rel="stylesheet" href="${sheet}"/>`);

      const plain = await get(sheet);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(plain.headers["content-type"]).toBe("text/css; charset=utf-8");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.headers.vary).toBe("Accept-Encoding");

      const br = await get(sheet, BR);
      expect(br.headers["content-encoding"]).toBe("br");
      expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      const gzip = await get(sheet, { "accept-encoding": "gzip" });
      expect(gzip.headers["content-encoding"]).toBe("gzip");
      expect(gunzipSync(gzip.rawPayload).equals(plain.rawPayload)).toBe(true);

      // Each encoding has its own validator; a browser revalidating gets a 304 without the body.
      expect(br.headers.etag).not.toBe(plain.headers.etag);
      const again = await get(sheet, { ...BR, "if-none-match": String(br.headers.etag) });
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload).toHaveLength(0);

      const script = await get(assetUrl("sign/seal-form.js"), BR);
      expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(script.headers["content-encoding"]).toBe("br");
    });

    it("names fonts in the stylesheet by digest too, one weight of the Myanmar font and the label subset", async () => {
      const css = (await get(assetUrl("site.css"))).body;
      const fonts = [...css.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1]!);
      expect(fonts).toEqual([
        assetUrl("fonts/noto-sans-myanmar-400.woff2"),
        assetUrl("fonts/myanmar-label.woff2"),
      ]);
      for (const font of fonts) {
        const answer = await get(font, BR);
        expect(answer.statusCode).toBe(200);
        expect(answer.headers["content-type"]).toBe("font/woff2");
        // woff2 is compressed already: sent as it is, and the same in every encoding.
        expect(answer.headers["content-encoding"]).toBeUndefined();
        expect(answer.headers.vary).toBeUndefined();
        expect(answer.headers["cache-control"]).toContain("immutable");
      }
      expect((await get(fonts[1]!)).rawPayload.length).toBeLessThan(3 * 1024);
    });

    it("still answers the plain name and an older digest, for an hour only, and 404 for anything else", async () => {
      const plain = await get("/assets/site.css");
      expect(plain.statusCode).toBe(200);
      expect(plain.headers["cache-control"]).toBe("public, max-age=3600");
      expect(plain.body).toBe((await get(assetUrl("site.css"))).body);
      const older = await get("/assets/site.0123456789.css");
      expect(older.statusCode).toBe(200);
      expect(older.headers["cache-control"]).toBe("public, max-age=3600");
      expect(older.body).toBe(plain.body);
      for (const url of ["/assets/nothing.css", "/assets/site.0123456789.js", "/assets/../package.json"]) {
        expect((await get(url)).statusCode, url).toBe(404);
      }
    });

    it("compresses public pages, with a form token masked afresh on each, and leaves console pages alone", async () => {
      const first = await get("/admin/login", BR);
      expect(first.headers["content-encoding"]).toBe("br");
      expect(first.headers.vary).toContain("Accept-Encoding");
      const html = brotliDecompressSync(first.rawPayload).toString("utf8");
      expect(html).toContain('name="_csrf"');
      const { cookie, csrf } = formSession({ body: html, cookies: first.cookies });
      const second = await get("/admin/login", { cookie });
      expect(second.headers["content-encoding"]).toBeUndefined();
      const again = csrfOf(second.body);
      expect(again).not.toBe(csrf);
      // Either masked token is accepted with the cookie; a token with another pad's bytes is not.
      const user = await insertUser(store.current(), { role: "owner" });
      for (const token of [csrf, again]) {
        const posted = await app.inject({
          method: "POST",
          url: "/admin/login",
          headers: { "content-type": FORM, cookie },
          payload: new URLSearchParams({ _csrf: token, email: user.email, password: "wrong" }).toString(),
        });
        expect(posted.statusCode).not.toBe(403);
        expect(posted.body).not.toContain("This form has expired");
      }
      const mixed = `${again.slice(0, 43)}${csrf.slice(43)}`;
      const forged = await app.inject({
        method: "POST",
        url: "/admin/login",
        headers: { "content-type": FORM, cookie },
        payload: new URLSearchParams({ _csrf: mixed, email: user.email, password: "wrong" }).toString(),
      });
      expect(forged.statusCode).toBe(403);

      const signedIn = await signIn(app, user);
      const console = await app.inject({
        method: "GET",
        url: "/admin",
        headers: { ...BR, cookie: signedIn },
      });
      expect(console.statusCode).toBe(200);
      expect(console.headers["content-encoding"]).toBeUndefined();
      expect(console.body).toContain("<!doctype html>");
      expect((await getAs(app, "/admin", signedIn)).statusCode).toBe(200);
    });

    it("ships a label font that is the Myanmar font's subset for the switcher's word, as built today", async () => {
      expect(BURMESE_IN_BURMESE).toBe("မြန်မာ");
      const page = (await get("/admin/login")).body;
      expect(page).toContain(`lang="my" hreflang="my">${BURMESE_IN_BURMESE}</a>`);
      expect(
        readFileSync(MYANMAR_LABEL_FONT).equals(await subsetMyanmarLabelFont()),
        "run `npm run build:browser` and commit src/web/assets/fonts/myanmar-label.woff2",
      ).toBe(true);
    });
  });
}
