import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";
import { createExampleCampaign } from "../../../commands/create-example-campaign.ts";
import {
  EXAMPLE_LETTER,
  EXAMPLE_LISTED_ENDORSEMENTS,
  EXAMPLE_UNDISCLOSED_ENDORSEMENTS,
} from "../../../domain/example-letter.ts";
import { toRoman } from "../../../domain/roman.ts";

const letterUrl = `/letters/${EXAMPLE_LETTER.slug}`;

/** Nothing that identifies an undisclosed signatory, no contact, no unapproved endorsement may show. */
const mustNeverAppear = [
  ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.map((e) => e.name),
  ...EXAMPLE_UNDISCLOSED_ENDORSEMENTS.map((e) => e.email),
  ...EXAMPLE_LISTED_ENDORSEMENTS.map((e) => e.email),
  ...EXAMPLE_LISTED_ENDORSEMENTS.filter((e) => e.state !== "approved").map((e) => e.name),
];

/** How preact writes text content: names with an apostrophe appear as typed. */
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`public letter pages on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;

    beforeAll(async () => {
      const test = await buildTestApp(store.current(), store.dataDir());
      app = test.app;
      await createExampleCampaign(test.deps, test.clock.now);
      return () => app.close();
    });

    it("lists the example letter on the home page, cacheable and without cookies", async () => {
      const res = await app.inject({ method: "GET", url: "/" });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`href="${letterUrl}"`);
      expect(res.body).toContain("Joint open letter urging regional foreign ministers to end forced returns");
      expect(res.body).toContain("Endorsed by 65 organisations");
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
      expect(res.headers.vary).toMatch(/Accept-Language/);
      expect(res.headers["set-cookie"]).toBeUndefined();
    });

    it("shows the whole letter: addressees, dates, subject, demands, endnotes, counts, signatories, publisher", async () => {
      const res = await app.inject({ method: "GET", url: letterUrl });
      expect(res.statusCode).toBe(200);
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
      expect(res.headers["set-cookie"]).toBeUndefined();
      const html = res.body;

      expect(html).toContain("This is an example letter created on first start");
      expect(html.match(/<p class="addressee-heading">The Foreign Ministers of<\/p>/g)).toHaveLength(2);
      expect(html).toContain("Brunei Darussalam, Cambodia, Indonesia");
      expect(html).toContain("6 October 2025");
      expect(html).toContain("Published 20 October 2025");
      expect(html).toContain("Subject: Request to halt deportations");
      expect(html).toContain("Dear Foreign Ministers,");
      expect(html).toContain("We, the undersigned 65 Myanmar, regional and international organisations");
      expect(html).toContain("If forced returns continue despite this appeal");
      expect(html).toContain("The 40 organisations named below stand with 25 others");
      expect(html).toContain(
        "This letter is endorsed by 65 organisations, including the 40 organisations listed below and 25 organisations which have chosen not to disclose their names.",
      );

      const notes = [...html.matchAll(/<li id="note-([ivxlc]+)" value="(\d+)">/g)];
      expect(notes.length).toBeGreaterThanOrEqual(10);
      for (const [i, note] of notes.entries()) {
        expect(note[1]).toBe(toRoman(i + 1));
        expect(html).toContain(`<a href="#note-${note[1]}" id="note-${note[1]}-ref">[${note[1]}]</a>`);
        expect(html).toContain(`<a href="#note-${note[1]}-ref" class="endnote-backref">`);
      }
      expect(html).toContain('<ol class="endnotes" type="i">');

      for (const e of EXAMPLE_LISTED_ENDORSEMENTS.filter((e) => e.state === "approved")) {
        expect(html).toContain(escapeHtml(e.name));
      }
      for (const category of ["Myanmar", "regional", "international"])
        expect(html).toContain(`<h3>${category}</h3>`);
      expect(html).toContain("Example Coalition for Refugee Protection (demo)");
      expect(html).toContain('href="https://social.example.org/@ecrp"');
      for (const secret of mustNeverAppear) expect(html).not.toContain(escapeHtml(secret));
    });

    it("shows the Burmese translation with ?lang=my, with Myanmar digits and Burmese collation", async () => {
      const res = await app.inject({ method: "GET", url: `${letterUrl}?lang=my` });
      expect(res.statusCode).toBe(200);
      const html = res.body;
      expect(html).toContain('<html lang="my">');
      expect(html).toContain(
        "မြန်မာနိုင်ငံသို့ အတင်းအကျပ် ပြန်ပို့နေမှုများကို ရပ်တန့်ရန် ဒေသတွင်း နိုင်ငံခြားရေးဝန်ကြီးများထံ တိုက်တွန်းသည့် ပူးတွဲပွင့်လင်းပေးစာ (နမူနာ)",
      );
      expect(html).toContain("အောက်ပါနိုင်ငံများ၏ နိုင်ငံခြားရေးဝန်ကြီးများ");
      expect(html).toContain("အဖွဲ့အစည်း ၆၅ ဖွဲ့ဖြစ်သည့်");
      expect(html).toContain("ဤပေးစာကို အဖွဲ့အစည်း ၆၅ ဖွဲ့က ထောက်ခံထားပြီး");
      expect(html).not.toContain("ဤပေးစာကို သင့်ဘာသာစကားဖြင့် မရရှိနိုင်သေးသဖြင့်");

      const burmeseNames = EXAMPLE_LISTED_ENDORSEMENTS.filter((e) => /[\u1000-\u109f]/.test(e.name)).map(
        (e) => e.name,
      );
      const shownOrder = [...burmeseNames].sort((a, b) => html.indexOf(a) - html.indexOf(b));
      const collator = new Intl.Collator("my", { numeric: true });
      expect(shownOrder).toEqual([...burmeseNames].sort(collator.compare));
      for (const secret of mustNeverAppear) expect(html).not.toContain(escapeHtml(secret));
    });

    it("falls back to the letter's language, saying so, when the reader's is missing", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        translations: [{ language: "en", title: "Only in English" }],
      });
      const res = await app.inject({ method: "GET", url: `/letters/${letter.slug}?lang=my` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("Only in English");
      expect(res.body).toContain('<article class="letter" lang="en">');
      expect(res.body).toContain("ဤပေးစာကို သင့်ဘာသာစကားဖြင့် မရရှိနိုင်သေးသဖြင့်");
    });

    it("answers 404 for drafts, letters still collecting, unknown and malformed slugs", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const draft = await insertLetter(db, { campaignId: campaign.id, state: "draft" });
      const collecting = await insertLetter(db, { campaignId: campaign.id, state: "collecting" });
      for (const url of [
        `/letters/${draft.slug}`,
        `/letters/${collecting.slug}`,
        "/letters/no-such-letter",
        "/letters/..%2Fadmin",
        `/campaigns/${campaign.slug}`,
        "/campaigns/no-such-campaign",
      ]) {
        const res = await app.inject({ method: "GET", url });
        expect([url, res.statusCode]).toEqual([url, 404]);
        expect(res.headers["cache-control"]).toBe("private, no-store");
      }
      const home = await app.inject({ method: "GET", url: "/" });
      expect(home.body).not.toContain(draft.slug);
      expect(home.body).not.toContain(collecting.slug);
    });

    it("escapes whatever coordinators and signatories typed", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db, { name: "<script>alert('campaign')</script>" });
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        categories: ["<b>cat</b>"],
        translations: [
          {
            language: "en",
            title: "<script>alert('title')</script>",
            subject: '"><img src=x onerror=alert(1)>',
            addressees: [{ heading: "<i>heading</i>", names: ["<svg onload=alert(1)>"] }],
            body: "[x](javascript:alert(1)) <script>alert(2)</script>",
          },
        ],
      });
      await insertSignatures(db, letter, [
        { displayName: "<img src=x onerror=alert(3)>", category: "<b>cat</b>" },
      ]);
      for (const url of [`/letters/${letter.slug}`, `/campaigns/${campaign.slug}`, "/"]) {
        const html = (await app.inject({ method: "GET", url })).body;
        expect(html).not.toMatch(/<script>alert|<img src=x|<svg onload|<b>cat|<i>heading|href="javascript/);
      }
    });

    it("shows a campaign with its letters in order, dates and counts", async () => {
      const res = await app.inject({ method: "GET", url: "/campaigns/example-campaign" });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("Example campaign: no forced returns to Myanmar (demo)");
      expect(res.body).toContain(`href="${letterUrl}"`);
      expect(res.body).toContain("Letter dated 6 October 2025");
      expect(res.body).toContain("Endorsed by 65 organisations");
      expect(res.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
    });
  });
}
