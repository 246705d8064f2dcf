import { DOMParser, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";
import { postEnglishUpdate } from "../../../../test/letter-updates.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { insertEmailDelivery } from "../../../../test/tracker-factory.ts";
import { postLetterUpdate } from "../../../commands/post-letter-update.ts";
import { letterChanged } from "../../../store/letter-changes.ts";

const ATOM = "http://www.w3.org/2005/Atom";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`updates, feed, embed and campaign story on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const env = { BASE_URL: "https://letters.example" };

    it("shows updates newest first on the letter page and in a valid Atom feed that escapes titles", async () => {
      const { app, deps, clock } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, { campaignId: campaign.id });
      const page = () => app.inject({ method: "GET", url: `/letters/${letter.slug}` });
      expect((await page()).body).not.toContain('id="updates"');

      await postEnglishUpdate(
        deps,
        letter.id,
        { title: "First: delivered", body: "To *16* offices." },
        clock.now,
      );
      await postLetterUpdate(
        deps,
        {
          actor: "cli",
          letterId: letter.id,
          form: {
            title: "<script>alert(1)</script> answered",
            body: "A [reply](javascript:alert(1)).",
            language: "en",
          },
        },
        new Date(clock.now.getTime() + 60_000),
      );
      const html = (await page()).body;
      expect(html).toContain(
        `<link rel="alternate" type="application/atom+xml" title="Updates: Letter ${letter.slug}" href="/letters/${letter.slug}/updates.atom"/>`,
      );
      const second = html.indexOf("&lt;script>alert(1)&lt;/script> answered");
      expect(second).toBeGreaterThan(0);
      expect(html.indexOf("First: delivered")).toBeGreaterThan(second);
      expect(html).toContain("To <em>16</em> offices.");
      // The unsafe link stays visible as text, never as a link.
      expect(html).toContain("<p>A [reply](javascript:alert(1)).</p>");
      expect(html).not.toContain('href="javascript:');
      expect(html).not.toContain("<script>alert");

      const feed = await app.inject({ method: "GET", url: `/letters/${letter.slug}/updates.atom` });
      expect(feed.statusCode).toBe(200);
      expect(feed.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
      const errors: string[] = [];
      const doc = new DOMParser({ onError: (_level, message) => errors.push(message) }).parseFromString(
        feed.body,
        "application/xml",
      );
      expect(errors).toEqual([]);
      const entries = Array.from(doc.getElementsByTagNameNS(ATOM, "entry"));
      const text = (el: Element, name: string) => el.getElementsByTagNameNS(ATOM, name)[0]!.textContent;
      expect(entries.map((e) => text(e, "title"))).toEqual([
        "<script>alert(1)</script> answered",
        "First: delivered",
      ]);
      expect(text(entries[1]!, "content")).toContain("<em>16</em>");
      expect(text(doc.documentElement!, "id")).toBe(
        `https://letters.example/letters/${letter.slug}/updates.atom`,
      );
      expect(text(doc.documentElement!, "updated")).toBe("2026-03-01T09:01:00.000Z");

      const draft = await insertLetter(db, { campaignId: campaign.id, state: "draft" });
      expect(
        (await app.inject({ method: "GET", url: `/letters/${draft.slug}/updates.atom` })).statusCode,
      ).toBe(404);
      await app.close();
    });

    it("serves an embed page that any site may frame while every other page still refuses", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      await insertSignatures(db, letter, [{}, {}, { visibility: "undisclosed" }]);
      const embed = await app.inject({ method: "GET", url: `/letters/${letter.slug}/embed?lang=my` });
      expect(embed.statusCode).toBe(200);
      const csp = String(embed.headers["content-security-policy"]);
      expect(csp).toContain("frame-ancestors *");
      expect(csp).not.toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(embed.headers["x-frame-options"]).toBeUndefined();
      expect(embed.body).toContain("အတင်းအကျပ် ပြန်ပို့မှုများကို ရပ်တန့်ပါ");
      expect(embed.body).toContain("၃");
      expect(embed.body).toContain(
        `href="/letters/${letter.slug}/sign?lang=my" target="_blank" rel="noopener"`,
      );
      expect(embed.body).not.toContain("<script");

      const page = await app.inject({ method: "GET", url: `/letters/${letter.slug}` });
      expect(String(page.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
      expect(page.headers["x-frame-options"]).toBe("DENY");

      await db.updateTable("letters").set({ state: "closed" }).where("id", "=", letter.id).execute();
      letterChanged(letter.id);
      const closed = await app.inject({ method: "GET", url: `/letters/${letter.slug}/embed` });
      expect(closed.body).not.toContain("/sign");
      await app.close();
    });

    it("renders a cited letter's title, date and live count, refreshed when the cited letter's count changes", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const first = await insertLetter(db, {
        campaignId: campaign.id,
        letterDate: "2022-07-14",
        translations: [{ language: "en", title: "Our July letter" }],
      });
      await insertSignatures(db, first, [{}, {}]);
      const elsewhere = await insertLetter(db, { campaignId: (await insertCampaign(db)).id });
      const draft = await insertLetter(db, { campaignId: campaign.id, state: "draft" });
      const second = await insertLetter(db, {
        campaignId: campaign.id,
        position: 2,
        translations: [
          {
            language: "en",
            title: "Second letter",
            body: `This reiterates {{letter:${first.slug}}}. Not {{letter:${elsewhere.slug}}} nor {{letter:${draft.slug}}}.`,
          },
        ],
      });
      const page = async () => (await app.inject({ method: "GET", url: `/letters/${second.slug}` })).body;
      const before = await page();
      expect(before).toContain(
        `<a href="/letters/${first.slug}" class="citation">Our July letter</a> (14 July 2022; endorsed by 2 organisations)`,
      );
      expect(before).toContain(
        `<mark class="citation-missing">[letter “${elsewhere.slug}” not found in this campaign]</mark>`,
      );
      expect(before).toContain(`[letter “${draft.slug}” not found in this campaign]`);

      await insertSignatures(db, first, [{}]);
      // What every command that changes a count does after its commit.
      letterChanged(first.id);
      expect(await page()).toContain("(14 July 2022; endorsed by 3 organisations)");
      await app.close();
    });

    it("tells the campaign's story on one timeline, oldest first, with counts, in English and Burmese", async () => {
      const { app, deps, clock } = await buildTestApp(store.current(), store.dataDir(), env);
      const { db } = store.current();
      const campaign = await insertCampaign(db, { name: "ASEAN appeal" });
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        publicationDate: "2026-01-20",
        translations: [
          { language: "en", title: "Open letter" },
          { language: "my", title: "ပွင့်လင်းပေးစာ" },
        ],
      });
      await insertSignatures(db, letter, [{}, { visibility: "undisclosed" }]);
      const at = "2026-01-25T10:00:00.000Z";
      const recipient = async (name: string, position: number) =>
        (
          await db
            .insertInto("recipients")
            .values({
              letter_id: letter.id,
              name,
              country: "TH",
              emails: "[]",
              position,
              created_at: at,
              updated_at: at,
            })
            .returning("id")
            .executeTakeFirstOrThrow()
        ).id;
      const r1 = await recipient("Minister of Defence", 1);
      const r2 = await recipient("Ministry of Foreign Affairs", 2);
      await recipient("Not yet reached", 3);
      for (const id of [r1, r2])
        await insertEmailDelivery(db, { letterId: letter.id, recipientId: id, state: "sent", at });
      await insertEmailDelivery(db, { letterId: letter.id, recipientId: r2, state: "bounced", at });
      for (const [isPublic, summary] of [
        [1, "Declined to attend the meeting."],
        [0, "Private note from the ministry."],
      ] as const) {
        await db
          .insertInto("responses")
          .values({
            letter_id: letter.id,
            recipient_id: r1,
            received_at: "2026-02-10",
            summary,
            is_public: isPublic,
            created_at: at,
          })
          .execute();
      }
      await postEnglishUpdate(
        deps,
        letter.id,
        { title: "Reply received", body: "See the tracker." },
        clock.now,
      );

      const en = await app.inject({ method: "GET", url: `/campaigns/${campaign.slug}?lang=en` });
      expect(en.statusCode).toBe(200);
      expect(en.body).toContain(
        "Letters: 1 · Endorsements: 2 · Recipients reached: 2 · Public responses: 1 · Updates: 1",
      );
      const items = [...en.body.matchAll(/<li class="timeline-item timeline-(\w+)">(.*?)<\/li>/g)].map(
        (m) => [m[1], m[2]],
      );
      expect(items.map(([kind]) => kind)).toEqual(["letter", "delivery", "response", "update"]);
      expect(items[1]![1]).toContain("25 January 2026");
      expect(items[1]![1]).toContain("to 2 recipients");
      expect(items[2]![1]).toContain("Declined to attend the meeting.");
      expect(en.body).not.toContain("Private note");
      expect(items[3]![1]).toContain("Reply received");

      const my = await app.inject({ method: "GET", url: `/campaigns/${campaign.slug}?lang=my` });
      expect(my.body).toContain("စာများ- ၁ · ထောက်ခံမှုများ- ၂ · စာရောက်ရှိသူများ- ၂");
      expect(my.body).toContain("လက်ခံသူ ၂ ဦးထံ");
      expect(my.body).toContain("ပွင့်လင်းပေးစာ");
      await app.close();
    });
  });
}
