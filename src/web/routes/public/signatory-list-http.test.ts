import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../../../../test/databases.ts";
import { listed, undisclosed, useLetterReading } from "../../../../test/letter-reading.ts";
import { SIGNATORIES_PAGE_SIZE } from "./letters.ts";

/*
 * The full list of a letter's listed signatories over HTTP: search whatever the case, accents or
 * Zawgyi/Unicode encoding, filters by category and country, pages, and the CSV in the reader's language.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`reading the signatory list on ${dialect.label}`, () => {
    const { get, letterWith } = useLetterReading(dialect.name);
    describe("the full list", () => {
      let slug = "";
      beforeAll(async () => {
        const letter = await letterWith([
          { displayName: "Café Solidarité Network", category: "international", country: "France" },
          { displayName: "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်", category: "Myanmar", country: "Myanmar" },
          {
            displayName: "RIVERS NETWORK",
            displayNameAlt: "မြစ်များ ကွန်ရက်",
            category: "regional",
            country: "Thailand",
          },
          { displayName: "Pending Group", state: "confirmed" },
          ...undisclosed(5),
          ...listed(250, (i) => ({ country: i % 2 ? "Thailand" : "Malaysia" })),
        ]);
        slug = letter.slug;
      });

      const names = (html: string) =>
        [...html.matchAll(/<li>(?:<span lang="\w+">)?([^<]+)/g)].map((m) => m[1]!);

      it("finds names whatever the case, accents or Zawgyi/Unicode encoding of the query", async () => {
        const search = async (q: string) =>
          names((await get(`/letters/${slug}/signatories?q=${encodeURIComponent(q)}`)).body);
        expect(await search("cafe solidarite")).toEqual(["Café Solidarité Network"]);
        expect(await search("CAFÉ")).toEqual(["Café Solidarité Network"]);
        expect(await search("rivers network")).toEqual(["RIVERS NETWORK"]);
        // Zawgyi-typed query, Unicode-stored name.
        expect(await search("ျမန္မာ လူ႔အခြင့္အေရး")).toEqual(["မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်"]);
        // The alternative name is searched too.
        expect(await search("မြစ်များ")).toEqual(["RIVERS NETWORK"]);
        expect(await search("Pending")).toEqual([]);
        const none = (await get(`/letters/${slug}/signatories?q=nobody-at-all`)).body;
        expect(none).toContain("No listed signatory matches your search.");
      });

      it("filters by category and country, and pages through the rest", async () => {
        expect(names((await get(`/letters/${slug}/signatories?category=Myanmar`)).body)).toEqual(
          expect.arrayContaining(["မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်"]),
        );
        const france = (await get(`/letters/${slug}/signatories?country=France`)).body;
        expect(names(france)).toEqual(["Café Solidarité Network"]);
        expect(france).toContain('<option value="France" selected>France</option>');

        const page1 = (await get(`/letters/${slug}/signatories`)).body;
        expect(names(page1)).toHaveLength(SIGNATORIES_PAGE_SIZE);
        expect(page1).toContain("Showing 1–100 of 253");
        expect(page1).toContain(`href="/letters/${slug}/signatories?page=2" rel="next"`);
        const page3 = await get(`/letters/${slug}/signatories?page=3`);
        expect(names(page3.body)).toHaveLength(53);
        expect(page3.body).toContain("Showing 201–253 of 253");
        expect(page3.headers["cache-control"]).toBe("public, max-age=60, stale-while-revalidate=300");
        const allNames = [
          ...names(page1),
          ...names((await get(`/letters/${slug}/signatories?page=2`)).body),
          ...names(page3.body),
        ];
        expect(new Set(allNames).size).toBe(253);
        expect((await get(`/letters/${slug}/signatories?page=4`)).statusCode).toBe(404);
        expect((await get(`/letters/${slug}/signatories?page=abc`)).statusCode).toBe(400);
        const filteredPage = (await get(`/letters/${slug}/signatories?country=Thailand&page=1`)).body;
        expect(filteredPage).toContain(`href="/letters/${slug}/signatories?country=Thailand&amp;page=2"`);

        const burmese = (await get(`/letters/${slug}/signatories?lang=my&page=2`)).body;
        expect(burmese).toContain("၂၅၃ အနက် ၁၀၁–၂၀၀ ကို ပြသထားသည်");
      });

      it("downloads the public list as CSV for spreadsheets, in the reader's language", async () => {
        const res = await get(`/letters/${slug}/signatories.csv`);
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
        expect(res.headers["content-disposition"]).toBe(`attachment; filename="${slug}-signatories.csv"`);
        expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
        const lines = res.body
          .replace(/^\uFEFF/, "")
          .trimEnd()
          .split("\r\n");
        expect(lines[0]).toBe("Name,Alternative name,Category,Country,Website");
        expect(lines).toHaveLength(1 + 253);
        expect(lines).toContain("RIVERS NETWORK,မြစ်များ ကွန်ရက်,regional,Thailand,");
        expect(res.body).not.toContain("Pending Group");
        const burmese = await get(`/letters/${slug}/signatories.csv?lang=my`);
        expect(burmese.body.split("\r\n")[0]).toBe("\uFEFFအမည်,အခြားအမည်,အမျိုးအစား,နိုင်ငံ,ဝက်ဘ်ဆိုက်");
      });
    });
  });
}
