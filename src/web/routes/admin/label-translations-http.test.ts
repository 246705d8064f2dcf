import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { csrfOf, FORM, getAs, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";

/*
 * A letter's categories and publisher link labels, translated on the translation page, shown to Burmese
 * readers on the letter, its list, its sign form and the API; English readers keep the originals, and the
 * values signatories are filed and filtered under never change.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`translated labels over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("saves them beside the originals, refuses a line too many, and shows them in the reader's language", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const db = store.current().db;
      const campaign = await insertCampaign(db);
      const user = await insertUser(store.current(), { role: "coordinator", campaigns: [campaign.id] });
      const cookie = await signIn(app, user);
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        categories: ["Myanmar", "regional", "international"],
        translations: [
          { language: "en", title: "Labels letter", body: "Body." },
          { language: "my", title: "တံဆိပ် ပေးစာ", body: "စာကိုယ်။" },
        ],
      });
      await db
        .updateTable("letters")
        .set({
          publisher_name: "Example Coalition",
          publisher_links: JSON.stringify([
            { label: "Website", url: "https://coalition.example.org" },
            { label: "Facebook", url: "https://facebook.com/example" },
          ]),
        })
        .where("id", "=", letter.id)
        .execute();
      await insertSignatures(db, letter, [{ displayName: "Yangon Youth", category: "regional" }]);

      const url = `/admin/letters/${letter.id}/translations/my`;
      const form = await getAs(app, url, cookie);
      expect(form.body).toMatch(
        /<textarea id="original-categoryLabels"[^>]*readonly[^>]*>Myanmar\nregional\ninternational</,
      );
      expect(form.body).toMatch(/<textarea id="original-linkLabels"[^>]*readonly[^>]*>Website\nFacebook</);
      const post = (labels: Record<string, string>) =>
        app.inject({
          method: "POST",
          url,
          headers: { "content-type": FORM, cookie },
          payload: new URLSearchParams({
            _csrf: csrfOf(form.body),
            updatedAt: /name="updatedAt" value="([^"]+)"/.exec(form.body)![1]!,
            groups: "0",
            title: "တံဆိပ် ပေးစာ",
            body: "စာကိုယ်။",
            action: "save",
            ...labels,
          }).toString(),
        });

      const tooMany = await post({ categoryLabels: "မြန်မာ\nဒေသတွင်း\nနိုင်ငံတကာ\nအခြား", linkLabels: "" });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.body).toContain("There are 3 in the original");
      expect(tooMany.body).toContain("နိုင်ငံတကာ\nအခြား");

      // The second category translated, the first left as it is; only the first link's label.
      const saved = await post({ categoryLabels: "\nဒေသတွင်း", linkLabels: "ဝက်ဘ်ဆိုက်" });
      expect(saved.statusCode).toBe(303);
      expect((await getAs(app, url, cookie)).body).toMatch(
        /<textarea[^>]*name="categoryLabels"[^>]*>\nဒေသတွင်း\n</,
      );

      const burmese = (await app.inject({ method: "GET", url: `/letters/${letter.slug}?lang=my` })).body;
      expect(burmese).toMatch(/<h3[^>]*>ဒေသတွင်း<\/h3>/);
      expect(burmese).toContain(">ဝက်ဘ်ဆိုက်</a>");
      expect(burmese).toContain(">Facebook</a>");
      const english = (await app.inject({ method: "GET", url: `/letters/${letter.slug}` })).body;
      expect(english).toMatch(/<h3[^>]*>regional<\/h3>/);
      expect(english).toContain(">Website</a>");

      const list = (
        await app.inject({
          method: "GET",
          url: `/letters/${letter.slug}/signatories?lang=my&category=regional`,
        })
      ).body;
      expect(list).toMatch(/<option value="regional" selected[^>]*>ဒေသတွင်း<\/option>/);
      expect(list).toContain("Yangon Youth");

      const api = (await app.inject({ method: "GET", url: `/api/v1/letters/${letter.slug}?lang=my` })).json();
      expect(api.categories).toEqual(["Myanmar", "regional", "international"]);
      expect(api.categoryLabels).toEqual({
        Myanmar: "Myanmar",
        regional: "ဒေသတွင်း",
        international: "international",
      });
      expect(api.publisher.links.map((l: { label: string }) => l.label)).toEqual(["ဝက်ဘ်ဆိုက်", "Facebook"]);
      await app.close();
    });
  });
}
