import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../../test/databases.ts";
import type { TestSignature } from "../../../../test/letter-factory.ts";
import {
  listed,
  referenceTranslation,
  statementOf,
  undisclosed,
  useLetterReading,
} from "../../../../test/letter-reading.ts";
import { toRoman } from "../../../domain/roman.ts";
import { letterChanged } from "../../../store/letter-changes.ts";
import { LETTER_PAGE_SIGNATORIES } from "./letters.ts";

/*
 * The letter page over HTTP on the real app: the reference letter's structure, count statements in English
 * and Burmese, a light first view, amendments and untranslated parts, the print view, and the PDF's answer
 * on a server without Chromium (PDFs printed by Chromium are tested in letter-pdf.test.ts).
 */

const EXACT_STATEMENT =
  "This letter is endorsed by 551 organisations, including the 298 organisations listed below and 253 organisations which have chosen not to disclose their names.";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`reading a letter on ${dialect.label}`, () => {
    const { db, get, letterWith } = useLetterReading(dialect.name);
    it("renders the reference letter's structure: endnotes i … xvi, {{total}} as 551, the exact count statement", async () => {
      const letter = await letterWith([...listed(298), ...undisclosed(253)], {
        translations: [referenceTranslation("en"), referenceTranslation("my")],
      });
      const res = await get(`/letters/${letter.slug}`);
      expect(res.statusCode).toBe(200);
      const html = res.body;
      expect(html.match(/<p class="addressee-heading">The Ministers of<\/p>/g)).toHaveLength(2);
      expect(html).toContain("We, the undersigned 551 organisations, write to you.");
      expect(statementOf(html)).toBe(EXACT_STATEMENT);

      const notes = [...html.matchAll(/<li id="note-([ivxlc]+)" value="(\d+)">/g)].map((m) => m[1]);
      expect(notes).toEqual(Array.from({ length: 16 }, (_, i) => toRoman(i + 1)));
      expect(notes.at(-1)).toBe("xvi");
      for (const numeral of notes) {
        expect(html).toContain(`<a href="#note-${numeral}" id="note-${numeral}-ref">[${numeral}]</a>`);
        expect(html).toContain(`<a href="#note-${numeral}-ref" class="endnote-backref">`);
      }

      // A bounded excerpt of the list, and the way to the rest.
      expect(html.match(/Listed Organisation \d{5}/g)).toHaveLength(LETTER_PAGE_SIGNATORIES);
      expect(html).toContain(
        `<a href="/letters/${letter.slug}/signatories">See the full list of signatories</a>`,
      );
      expect(html).toContain(
        `The first ${LETTER_PAGE_SIGNATORIES} of 298 listed signatories are shown here.`,
      );

      const burmese = (await get(`/letters/${letter.slug}?lang=my`)).body;
      expect(burmese).toContain("အဖွဲ့အစည်း ၅၅၁ ဖွဲ့ဖြစ်သည့်");
      expect(statementOf(burmese)).toBe(
        "ဤပေးစာကို အဖွဲ့အစည်း ၅၅၁ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့တွင် အောက်တွင် ဖော်ပြထားသော အဖွဲ့အစည်း ၂၉၈ ဖွဲ့နှင့် အမည်မဖော်ပြရန် ရွေးချယ်ထားသော အဖွဲ့အစည်း ၂၅၃ ဖွဲ့ ပါဝင်သည်။",
      );
      expect([...burmese.matchAll(/<li id="note-([ivxlc]+)"/g)].map((m) => m[1])).toHaveLength(16);
      expect(burmese).toContain("လက်မှတ်ရေးထိုးသူ စာရင်းအပြည့်အစုံကို ကြည့်ရန်");
    });

    it("states zero, one, only-listed and only-undisclosed counts naturally, in English and Burmese", async () => {
      const cases: [TestSignature[], string, string][] = [
        [[], "No organisation has endorsed this letter yet.", "ဤပေးစာကို ထောက်ခံထားသော အဖွဲ့အစည်း မရှိသေးပါ။"],
        [
          listed(1),
          "This letter is endorsed by 1 organisation, listed below.",
          "ဤပေးစာကို အောက်တွင် ဖော်ပြထားသော အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားသည်။",
        ],
        [
          undisclosed(1),
          "This letter is endorsed by 1 organisation, which has chosen not to disclose its name.",
          "ဤပေးစာကို အဖွဲ့အစည်း ၁ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းက အမည်မဖော်ပြရန် ရွေးချယ်ထားသည်။",
        ],
        [
          listed(3),
          "This letter is endorsed by 3 organisations, all listed below.",
          "ဤပေးစာကို အဖွဲ့အစည်း ၃ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့အားလုံးကို အောက်တွင် ဖော်ပြထားသည်။",
        ],
        [
          undisclosed(4),
          "This letter is endorsed by 4 organisations, all of which have chosen not to disclose their names.",
          "ဤပေးစာကို အဖွဲ့အစည်း ၄ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့အားလုံးက အမည်မဖော်ပြရန် ရွေးချယ်ထားသည်။",
        ],
      ];
      for (const [signatures, english, burmese] of cases) {
        const letter = await letterWith(signatures, {
          translations: [
            { language: "en", title: "Counts" },
            { language: "my", title: "အရေအတွက်" },
          ],
        });
        expect(statementOf((await get(`/letters/${letter.slug}`)).body)).toBe(english);
        expect(statementOf((await get(`/letters/${letter.slug}?lang=my`)).body)).toBe(burmese);
        // Unapproved endorsements never count.
      }
      const pending = await letterWith([
        { state: "confirmed" },
        { state: "withdrawn", visibility: "undisclosed" },
      ]);
      expect(statementOf((await get(`/letters/${pending.slug}`)).body)).toBe(
        "No organisation has endorsed this letter yet.",
      );
    });

    it("keeps the first view under 100 KB with 10,000 listed signatories", async () => {
      const letter = await letterWith(
        listed(10_000, (i) => ({ website: `https://example.org/org/${i}`, country: "Thailand" })),
        {
          translations: [referenceTranslation("en")],
        },
      );
      const res = await get(`/letters/${letter.slug}`);
      expect(res.statusCode).toBe(200);
      expect(Buffer.byteLength(res.body)).toBeLessThan(100 * 1024);
      expect(res.body).toContain("This letter is endorsed by 10,000 organisations, all listed below.");
    });

    it("says when the letter was last amended, and which untranslated parts fall back to the original", async () => {
      const letter = await letterWith(listed(1), {
        translations: [
          {
            language: "en",
            title: "Amended letter",
            body: "English body text.",
            publisherAbout: "About us.",
          },
          { language: "my", title: "ပြင်ဆင်ထားသော ပေးစာ", body: "" },
        ],
      });
      expect((await get(`/letters/${letter.slug}`)).body).not.toContain("Last amended");
      const second = await db()
        .insertInto("letter_versions")
        .values({
          letter_id: letter.id,
          number: 2,
          content_hash: "b".repeat(64),
          letter_date: "2026-01-10",
          created_at: "2026-02-03T08:00:00.000Z",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const rows = await db()
        .selectFrom("letter_translations")
        .selectAll()
        .where("version_id", "=", letter.versionId)
        .execute();
      await db()
        .insertInto("letter_translations")
        .values(rows.map(({ id: _id, ...row }) => ({ ...row, version_id: second.id })))
        .execute();
      await db()
        .updateTable("letters")
        .set({ current_version_id: second.id })
        .where("id", "=", letter.id)
        .execute();
      letterChanged(letter.id);
      const html = (await get(`/letters/${letter.slug}`)).body;
      expect(html).toContain("Last amended on 3 February 2026");
      const burmese = (await get(`/letters/${letter.slug}?lang=my`)).body;
      expect(burmese).toContain("ပြင်ဆင်ထားသော ပေးစာ");
      expect(burmese).toContain('<div class="letter-body" lang="en"><p>English body text.</p>');
      expect(burmese).toContain("ဘာသာမပြန်ရသေးသော ဤပေးစာ၏ အစိတ်အပိုင်းများကို အင်္ဂလိပ်ဘာသာဖြင့် ပြသထားသည်။");
    });

    it("answers the PDF with a 503 page saying how to install Chromium, in the reader's language", async () => {
      const letter = await letterWith(listed(1));
      const res = await get(`/letters/${letter.slug}.pdf`);
      expect(res.statusCode).toBe(503);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("apt-get install chromium");
      expect(res.body).toContain("CHROMIUM_PATH");
      expect(res.body).toContain(`href="/letters/${letter.slug}/print?lang=en"`);
      const burmese = await get(`/letters/${letter.slug}.pdf?lang=my`);
      expect(burmese.statusCode).toBe(503);
      expect(burmese.body).toContain("ဤဆာဗာတွင် PDF ပြုလုပ်၍ မရပါ");
      expect((await get("/letters/no-such-letter.pdf")).statusCode).toBe(404);
    });

    it("prints the full annex in the print view", async () => {
      const letter = await letterWith([...listed(450), ...undisclosed(2)], {
        translations: [referenceTranslation("en")],
      });
      const html = (await get(`/letters/${letter.slug}/print`)).body;
      expect(html.match(/Listed Organisation \d{5}/g)).toHaveLength(450);
      expect(html).toContain("Annex: signatories");
      expect(html).toContain('<meta name="robots" content="noindex"/>');
      expect(html).not.toContain('class="site"');
      expect([...html.matchAll(/<li id="note-([ivxlc]+)"/g)]).toHaveLength(16);
    });
  });
}
