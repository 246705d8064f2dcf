import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCampaign, insertLetter, insertSignatures } from "../test/letter-factory.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { expectSelfContained, switchLanguage } from "./support/reader.ts";

const TITLE = "Stop the air strikes on schools";
const BURMESE_TITLE = "ကျောင်းများအပေါ် လေကြောင်းတိုက်ခိုက်မှုများကို ရပ်တန့်ပါ";
const BURMESE_NAME = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";
// The first two words of BURMESE_NAME as a Zawgyi keyboard types them.
const ZAWGYI_QUERY = "ျမန္မာ လူ႔အခြင့္အေရး";
const REGIONAL = ["Mekong Rivers Network", "Southeast Asia Press Alliance"];
// Listed: 8; undisclosed: 3. In Burmese, with Myanmar digits, as the statement must read.
const BURMESE_STATEMENT =
  "ဤပေးစာကို အဖွဲ့အစည်း ၁၁ ဖွဲ့က ထောက်ခံထားပြီး ၎င်းတို့တွင် အောက်တွင် ဖော်ပြထားသော အဖွဲ့အစည်း ၈ ဖွဲ့နှင့် အမည်မဖော်ပြရန် ရွေးချယ်ထားသော အဖွဲ့အစည်း ၃ ဖွဲ့ ပါဝင်သည်။";

/** The entries of the full list as shown (name, alternative name, country); group labels are headings outside. */
const listedNames = (page: Page) => page.locator("ol.signatory-list li").allTextContents();

describe.skipIf(!CHROMIUM.available)(`a reader reads, searches and downloads the PDF${CHROMIUM.note}`, () => {
  const journey = useJourney();
  let downloads = "";

  beforeAll(async () => {
    downloads = mkdtempSync(path.join(os.tmpdir(), "undersigned-download-"));
    const { db } = journey.server().store;
    const campaign = await insertCampaign(db, { name: "Schools Are Not Targets" });
    const letter = await insertLetter(db, {
      campaignId: campaign.id,
      slug: "stop-the-air-strikes",
      categories: ["Myanmar", "regional", "international"],
      translations: [
        {
          language: "en",
          title: TITLE,
          subject: "Air strikes on schools",
          body: "We, the undersigned {{total}} organisations, ask you to stop the air strikes on schools.",
        },
        {
          language: "my",
          title: BURMESE_TITLE,
          subject: "ကျောင်းများအပေါ် လေကြောင်းတိုက်ခိုက်မှုများ",
          body: "ကျွန်ုပ်တို့ အဖွဲ့အစည်း {{total}} ဖွဲ့သည် ကျောင်းများအပေါ် လေကြောင်းတိုက်ခိုက်မှုများကို ရပ်တန့်ရန် တောင်းဆိုပါသည်။",
        },
      ],
    });
    await insertSignatures(db, letter, [
      { displayName: BURMESE_NAME, category: "Myanmar", country: "Myanmar" },
      { displayName: "ကချင် အမျိုးသမီး အစည်းအရုံး", category: "Myanmar", country: "Myanmar" },
      { displayName: "Karen Teachers Union", category: "Myanmar", country: "Myanmar" },
      { displayName: REGIONAL[1]!, category: "regional", country: "Thailand" },
      { displayName: REGIONAL[0]!, category: "regional", country: "Thailand" },
      { displayName: "Education Without Borders", category: "international", country: "France" },
      { displayName: "Global Campaign for Safe Schools", category: "international", country: "Norway" },
      { displayName: "Children First Coalition", category: "international", country: "Canada" },
      { visibility: "undisclosed", category: "Myanmar" },
      { visibility: "undisclosed", category: "Myanmar" },
      { visibility: "undisclosed", category: "regional" },
      // Not counted, never shown: waiting for review.
      { displayName: "Unreviewed Group", state: "confirmed", category: "regional" },
    ]);
  });
  afterAll(() => rmSync(downloads, { recursive: true, force: true }));

  it("opens the letter, switches to Burmese, searches and filters the list, downloads the PDF", async () => {
    const page = journey.page();
    await page.goto(`${journey.baseUrl()}/`);
    const item = page.locator("ul.letters li", { hasText: TITLE });
    expect(await item.locator("p").textContent()).toContain("Endorsed by 11 organisations");
    await item.getByRole("link", { name: TITLE }).click();
    await page.waitForURL("**/letters/stop-the-air-strikes");

    await switchLanguage(page, "မြန်မာ", "my");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(BURMESE_TITLE);
    const statement = await page.locator("p.count-statement").textContent();
    expect(statement).toBe(BURMESE_STATEMENT);
    expect(statement).not.toMatch(/[0-9]/);
    // The body's {{total}} is filled in the letter's language, with Myanmar digits too.
    expect(await page.locator(".letter-body").textContent()).toContain("အဖွဲ့အစည်း ၁၁ ဖွဲ့သည်");

    await page.getByRole("link", { name: "လက်မှတ်ရေးထိုးသူ စာရင်းအပြည့်အစုံကို ကြည့်ရန်" }).first().click();
    await page.waitForURL("**/letters/stop-the-air-strikes/signatories");
    expect(await listedNames(page)).toHaveLength(8);

    // A Zawgyi-typed query finds the name stored in Unicode.
    await page.getByLabel("အမည်ဖြင့် ရှာရန်").fill(ZAWGYI_QUERY);
    await page.getByRole("button", { name: "ရှာရန်", exact: true }).click();
    await page.waitForURL(/\?q=/);
    expect(await listedNames(page)).toEqual([`${BURMESE_NAME} · Myanmar`]);
    expect(await page.getByRole("status").textContent()).toContain("၁ အနက် ၁ ကို ပြသထားသည်");

    // Then a category, with the search cleared: the regional signatories, in collation order.
    await page.getByLabel("အမည်ဖြင့် ရှာရန်").fill("");
    await page.getByLabel("အမျိုးအစား").selectOption("regional");
    await page.getByRole("button", { name: "ရှာရန်", exact: true }).click();
    await page.waitForURL(/category=regional/);
    expect(await listedNames(page)).toEqual(REGIONAL.map((name) => `${name} · Thailand`));
    expect(await page.locator("main").textContent()).not.toContain("Unreviewed Group");

    // Back to the letter, and its PDF, in the language the reader chose.
    await page.getByRole("link", { name: "ပေးစာသို့ ပြန်သွားရန်" }).click();
    await page.waitForURL("**/letters/stop-the-air-strikes");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "PDF ရယူရန်" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("stop-the-air-strikes.pdf");
    const file = path.join(downloads, "letter.pdf");
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
    // Lines break wherever the page width puts them, and Burmese breaks between words without a space, so
    // the extracted text is compared without any whitespace.
    const squeeze = (s: string) => s.replace(/\s+/g, "");
    for (const shown of [BURMESE_TITLE, BURMESE_STATEMENT, BURMESE_NAME, REGIONAL[0]!])
      expect(squeeze(text)).toContain(squeeze(shown));
    expect(text).not.toContain("Unreviewed Group");

    expectSelfContained(journey);
  });
});
