import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import {
  insertCampaign,
  insertLetter,
  insertSignatures,
  type TestSignature,
  type TestTranslation,
} from "../../../../test/letter-factory.ts";
import { toRoman } from "../../../domain/roman.ts";
import { isSafeHref } from "../../../domain/safe-url.ts";
import { letterChanged } from "../../../store/letter-changes.ts";
import type { Database } from "../../../store/schema.ts";
import { LETTER_PAGE_SIGNATORIES, SIGNATORIES_PAGE_SIZE } from "./letters.ts";

/*
 * What readers get, over HTTP on the real app: the letter page (the reference letter's structure, count
 * statements, meta, caching), the full list (search, filters, pages), the CSV, the print view and the PDF's
 * answer on a server without Chromium. PDFs printed by Chromium are tested in letter-pdf.test.ts.
 */

const BASE_URL = "https://letters.example.org";
const EXACT_STATEMENT =
  "This letter is endorsed by 551 organisations, including the 298 organisations listed below and 253 organisations which have chosen not to disclose their names.";

/** A letter of the reference letter's shape: two addressee groups, sixteen endnotes, a live count. */
function referenceTranslation(language: "en" | "my"): TestTranslation {
  const notes = Array.from(
    { length: 16 },
    (_, i) => `[^n${i + 1}]: Source number ${i + 1}, https://example.org/source/${i + 1}`,
  );
  const cites = Array.from({ length: 16 }, (_, i) => `Claim ${i + 1}.[^n${i + 1}]`).join(" ");
  return {
    language,
    title:
      language === "en" ? "Joint letter on a regional training exercise" : "ဒေသတွင်း လေ့ကျင့်ရေးဆိုင်ရာ ပူးတွဲပေးစာ",
    subject: language === "en" ? "Request to withdraw from the exercise" : "လေ့ကျင့်ရေးမှ နုတ်ထွက်ရန် တောင်းဆိုချက်",
    addressees: [
      {
        heading: language === "en" ? "The Ministers of" : "အောက်ပါနိုင်ငံများ၏ ဝန်ကြီးများ",
        names: ["Cambodia", "Laos", "Thailand"],
      },
      {
        heading: language === "en" ? "The Ministers of" : "အောက်ပါနိုင်ငံများ၏ ဝန်ကြီးများ",
        names: ["Australia", "New Zealand"],
      },
    ],
    salutation: language === "en" ? "Dear Ministers," : "ဝန်ကြီးများခင်ဗျား",
    body: `${language === "en" ? "We, the undersigned {{total}} organisations, write to you." : "အောက်တွင် လက်မှတ်ရေးထိုးထားသော အဖွဲ့အစည်း {{total}} ဖွဲ့ဖြစ်သည့် ကျွန်ုပ်တို့သည် စာရေးအပ်ပါသည်။"}\n\n${cites}\n\n${notes.join("\n")}`,
    closing: language === "en" ? "We look forward to your reply." : "သင်တို့၏ တုံ့ပြန်မှုကို မျှော်လင့်ပါသည်။",
  };
}

const listed = (n: number, make: (i: number) => Partial<TestSignature> = () => ({})): TestSignature[] =>
  Array.from({ length: n }, (_, i) => ({
    displayName: `Listed Organisation ${String(i + 1).padStart(5, "0")}`,
    category: ["Myanmar", "regional", "international"][i % 3]!,
    ...make(i),
  }));
const undisclosed = (n: number): TestSignature[] =>
  Array.from({ length: n }, () => ({ visibility: "undisclosed" as const, category: "Myanmar" }));

type Tag = { name: string; attributes: [string, string][] };

/**
 * The real elements of a page (preact double-quotes every attribute value and escapes quotes inside, so a
 * quoted value cannot hide a tag boundary), with values decoded as a browser decodes them.
 */
function tagsOf(html: string): Tag[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...m[2]!.matchAll(/\s([^\s"'>/=]+)(?:="([^"]*)")?/g)].map((a): [string, string] => [
      a[1]!.toLowerCase(),
      decode(a[2] ?? ""),
    ]),
  }));
}

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every link, image, form and stylesheet target of a page. */
function targets(html: string): string[] {
  return tagsOf(html).flatMap((tag) =>
    tag.attributes.flatMap(([name, value]) => (["href", "src", "action"].includes(name) ? [value] : [])),
  );
}

/** What a browser fetches by itself (images, stylesheets, icons), unlike links, which are only followed. */
function loadedResources(html: string): string[] {
  return tagsOf(html).flatMap((tag) => {
    const rel = tag.attributes.find(([name]) => name === "rel")?.[1] ?? "";
    return tag.attributes.flatMap(([name, value]) =>
      name === "src" || (tag.name === "link" && name === "href" && !/canonical|alternate/.test(rel))
        ? [value]
        : [],
    );
  });
}

function statementOf(html: string): string {
  return /<p class="count-statement"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? "";
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`reading a letter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;
    let db: Kysely<Database>;
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: "GET", url, headers });

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL,
        // A server without Chromium: the PDF route must say how to install one.
        CHROMIUM_PATH: "/nonexistent/chromium",
      });
      app = test.app;
      db = store.current().db;
      return () => app.close();
    });

    async function letterWith(
      signatures: TestSignature[],
      values: Partial<Parameters<typeof insertLetter>[1]> = {},
    ) {
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        categories: ["Myanmar", "regional", "international"],
        ...values,
      });
      await insertSignatures(db, letter, signatures);
      return letter;
    }

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
      expect(loaded).toContain("/assets/site.css");
      for (const target of loaded) {
        expect([target, target.startsWith("/") && !target.startsWith("//")]).toEqual([target, true]);
      }
    });

    it("serves the cached page until letterChanged() or the time-to-live says otherwise", async () => {
      const letter = await letterWith(listed(2));
      const first = await get(`/letters/${letter.slug}`);
      expect(statementOf(first.body)).toBe("This letter is endorsed by 2 organisations, all listed below.");
      await insertSignatures(db, letter, undisclosed(1));
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
        db,
        letter,
        listed(1, () => ({ displayName: "Newly Approved Group" })),
      );
      letterChanged(letter.id);
      expect((await get(`/letters/${letter.slug}/signatories.csv`)).body).toContain("Newly Approved Group");
      const list = (await get(`/letters/${letter.slug}/signatories`)).body;
      expect(list).toContain("Newly Approved Group");
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
      const second = await db
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
      const rows = await db
        .selectFrom("letter_translations")
        .selectAll()
        .where("version_id", "=", letter.versionId)
        .execute();
      await db
        .insertInto("letter_translations")
        .values(rows.map(({ id: _id, ...row }) => ({ ...row, version_id: second.id })))
        .execute();
      await db
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
        [
          ...html.matchAll(
            /<li(?: class="starts-group")?>(?:<span class="group-label"[^>]*>[^<]*<\/span>)?(?:<span lang="\w+">)?([^<]+)/g,
          ),
        ].map((m) => m[1]!);

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

    it("keeps script, event handlers and javascript: links inert on every page and in the CSV", async () => {
      const attacks = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(2)">',
        "<svg/onload=alert(3)>",
        '"><iframe src="javascript:alert(4)">',
      ];
      const campaign = await insertCampaign(db, { name: "<script>alert('campaign')</script>" });
      const letter = await insertLetter(db, {
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
      await db
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
      await insertSignatures(db, letter, [
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
