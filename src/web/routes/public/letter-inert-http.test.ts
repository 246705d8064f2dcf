import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../../test/databases.ts";
import { tagsOf, targets } from "../../../../test/html-tags.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../../../test/letter-factory.ts";
import { useLetterReading } from "../../../../test/letter-reading.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";

/*
 * Script, event handlers and javascript: links typed into a campaign, a letter or a signatory stay inert on
 * every public page and in the CSV.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile text on the public pages on ${dialect.label}`, () => {
    const { db, get } = useLetterReading(dialect.name);

    it("keeps script, event handlers and javascript: links inert on every page and in the CSV", async () => {
      const attacks = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)">',
        "<svg/onload=alert(3)>",
        '"><iframe src="javascript:alert(4)">',
      ];
      const campaign = await insertCampaign(db(), { name: "<script>alert('campaign')</script>" });
      const letter = await insertLetter(db(), {
        campaignId: campaign.id,
        categories: ["<b onmouseover=alert(5)>cat</b>"],
        translations: [
          {
            language: "en",
            title: attacks[0]!,
            subject: attacks[1]!,
            addressees: [{ heading: attacks[2]!, names: [attacks[3]!, "javascript:alert(6)"] }],
            salutation: attacks[1]!,
            body: [
              "[plain](javascript:alert(7)) [cased](JaVaScRiPt:alert(8)) [spaced]( javascript:alert(9))",
              "[tabbed](java\tscript:alert(10)) [entity](&#106;avascript:alert(11)) [hex](&#x6A;avascript:alert(12))",
              "[colon](javascript&colon;alert(13)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(1))",
              `<script>alert(14)</script> <img src=x onerror=alert(15)> ${attacks[3]} [note][^x]`,
              "",
              '[^x]: <script>alert(16)</script> [bad](javascript:alert(17)) <a href="javascript:alert(18)">a</a>',
            ].join("\n"),
            closing: "[closing](javascript:alert(19)) <svg onload=alert(20)>",
            publisherAbout: attacks[1]!,
          },
        ],
      });
      await db()
        .updateTable("letters")
        .set({
          publisher_name: attacks[0]!,
          publisher_url: "javascript:alert(21)",
          publisher_links: JSON.stringify([
            { label: attacks[1], url: "java\nscript:alert(22)" },
            { label: "ok", url: "&#106;avascript:alert(23)" },
            { label: "Mastodon", url: "https://social.example.org/@us" },
          ]),
        })
        .where("id", "=", letter.id)
        .execute();
      await insertSignatures(db(), letter, [
        {
          displayName: attacks[0]!,
          website: "javascript:alert(24)",
          category: "<b onmouseover=alert(5)>cat</b>",
        },
        { displayName: attacks[1]!, website: " JAVASCRIPT:alert(25)", country: attacks[2]! },
        {
          displayName: '=HYPERLINK("https://evil.example","click")',
          displayNameAlt: "@SUM(1+1)*cmd|' /C calc'!A0",
        },
        { displayName: "+cmd", website: "-x" },
      ]);

      const urls = [
        `/letters/${letter.slug}`,
        `/letters/${letter.slug}?lang=my`,
        `/letters/${letter.slug}/signatories`,
        `/letters/${letter.slug}/signatories?q=${encodeURIComponent("<script>alert(26)</script>")}`,
        `/letters/${letter.slug}/print`,
        `/letters/${letter.slug}.pdf`,
        `/campaigns/${campaign.slug}`,
        "/",
      ];
      for (const url of urls) {
        const html = (await get(url)).body;
        expect([url, html]).not.toEqual([url, expect.stringMatching(/<script|<img|<svg|<iframe|<b[ >]/i)]);
        const tags = tagsOf(html);
        expect(tags.length).toBeGreaterThan(10);
        for (const tag of tags) {
          expect([url, tag.name]).not.toEqual([
            url,
            expect.stringMatching(/^(script|img|svg|iframe|object|embed|b)$/),
          ]);
          for (const [name] of tag.attributes)
            expect([url, name]).not.toEqual([url, expect.stringMatching(/^on/)]);
        }
        for (const target of targets(html))
          expect([url, target, isSafeHref(target)]).toEqual([url, target, true]);
      }
      const page = (await get(`/letters/${letter.slug}`)).body;
      expect(page).toContain("&lt;script>alert(1)&lt;/script>");
      expect(page).toContain('<a href="https://social.example.org/@us" rel="me noopener">Mastodon</a>');

      const csv = (await get(`/letters/${letter.slug}/signatories.csv`)).body;
      expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
      expect(csv).toContain("'@SUM(1+1)*cmd|' /C calc'!A0");
      expect(csv).toContain("'+cmd,");
      expect(csv).toContain(",'-x");
      for (const line of csv.replace(/^\uFEFF/, "").split("\r\n")) {
        for (const cell of line.split(",")) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@\t\r]/);
      }
    });
  });
}
