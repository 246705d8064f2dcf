import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { getAs, signIn, signInToCampaign } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { translator } from "../../../i18n/index.ts";

const BASE = "https://letters.example.org";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the share panel over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("gives a published letter's page and sign addresses in each language, each with its QR code, tab marked", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: BASE });
      const letter = await insertSignableLetter(store.current().db);
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      for (const lang of ["en", "my"] as const) {
        const page = await getAs(app, `/admin/letters/${letter.id}/share?lang=${lang}`, cookie);
        expect(page.statusCode).toBe(200);
        for (const url of [
          `${BASE}/letters/${letter.slug}`,
          `${BASE}/letters/${letter.slug}?lang=my`,
          `${BASE}/letters/${letter.slug}/sign`,
          `${BASE}/letters/${letter.slug}/sign?lang=my`,
        ])
          expect(page.body).toContain(`readonly value="${url.replace(/&/g, "&amp;")}"`);
        expect(page.body).toContain(`href="/admin/letters/${letter.id}/share" aria-current="page"`);
        expect(page.body).toContain(translator(lang)("share.qrDownload"));
      }

      const qr = await getAs(app, `/admin/letters/${letter.id}/share/qr.svg?for=sign&lang=my`, cookie);
      expect(qr.statusCode).toBe(200);
      expect(qr.headers["content-type"]).toContain("image/svg+xml");
      expect(qr.body).toMatch(/^<svg[^>]*viewBox="0 0 (\d+) \1"/);
      expect(qr.body).toContain("<path");
      // Another address draws another code.
      const other = await getAs(app, `/admin/letters/${letter.id}/share/qr.svg?for=letter&lang=en`, cookie);
      expect(other.body).not.toBe(qr.body);
      const unknown = await getAs(app, `/admin/letters/${letter.id}/share/qr.svg?for=elsewhere`, cookie);
      expect(unknown.statusCode).toBe(404);
      await app.close();
    });

    it("offers no public address for a letter still collecting, and nothing to someone outside the campaign", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), { BASE_URL: BASE });
      const letter = await insertSignableLetter(store.current().db, { state: "collecting" });
      const member = await signInToCampaign(app, store.current(), "coordinator", letter.campaignId);
      const page = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/share`,
        headers: { cookie: member },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(translator("en")("share.privateOnly"));
      expect(page.body).not.toContain(`${BASE}/letters/${letter.slug}`);
      const qr = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/share/qr.svg?for=sign&lang=en`,
        headers: { cookie: member },
      });
      expect(qr.statusCode).toBe(404);

      const other = await insertSignableLetter(store.current().db);
      const outsider = await signIn(
        app,
        await insertUser(store.current(), { role: "coordinator", campaigns: [other.campaignId] }),
      );
      const refused = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/share`,
        headers: { cookie: outsider },
      });
      expect(refused.statusCode).toBe(403);
      await app.close();
    });
  });
}
