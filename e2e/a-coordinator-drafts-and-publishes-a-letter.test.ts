import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setCampaignKey } from "../src/commands/set-campaign-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createCampaign, draftLetter, moveLetterOn, translateLetter } from "./support/letter-console.ts";
import { COORDINATOR, createOwnerThroughSetupLink } from "./support/owner.ts";
import { expectSelfContained, switchLanguage } from "./support/reader.ts";
import { screenshotWithFonts } from "./support/screenshot.ts";

const BODY = `We, the undersigned {{total}} organisations, ask you to stop every shipment of aviation fuel.[^1]

Each delivery has been followed by air strikes on villages and schools.[^2]`;
const NOTES = `

[^1]: Fuel trade report, January 2026.
[^2]: Documentation of air strikes, February 2026.`;
const BURMESE_TITLE = "လေယာဉ်လောင်စာ တင်ပို့မှုကို ရပ်တန့်ပါ";

describe.skipIf(!CHROMIUM.available)(`a coordinator drafts and publishes a letter${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("drafts a letter with endnotes and a Burmese translation, previews it, publishes it, and readers see it", async () => {
    const page = journey.page();
    const base = journey.baseUrl();
    await createOwnerThroughSetupLink(journey, COORDINATOR);

    // A campaign for the letter.
    await createCampaign(journey, { name: "Aviation Fuel Coalition", slug: "aviation-fuel" });
    // The operator runs `undersigned keygen --campaign aviation-fuel`; here its effect, directly.
    await setCampaignKey(
      { store: journey.server().store },
      { campaignSlug: "aviation-fuel", publicKey: randomBytes(32).toString("base64"), actor: "cli" },
      new Date(),
    );

    // A draft, then every part of it in the editor (no script involved: plain forms).
    const editorUrl = await draftLetter(page, {
      title: "Halt the fuel shipments",
      slug: "halt-the-fuel",
      subject: "Aviation fuel reaching the military",
      letterDate: "2026-02-10",
      body: BODY + NOTES,
      addressees: { heading: "The Trade Ministers of", names: ["Country A", "Country B"] },
      salutation: "Dear Ministers,",
      closing: "Yours sincerely,",
      categories: ["Myanmar", "regional", "international"],
    });
    await page.setViewportSize({ width: 1100, height: 900 });
    await screenshotWithFonts(page, path.resolve("docs/screenshots/console-letter-editor.png"));

    // The Burmese translation, beside the English original.
    await translateLetter(page, "my", BODY + NOTES, {
      title: BURMESE_TITLE,
      body: "ကျွန်ုပ်တို့ {{total}} ဖွဲ့သည် တောင်းဆိုပါသည်။[^1]\n\n[^1]: လောင်စာ ကုန်သွယ်မှု အစီရင်ခံစာ။",
    });

    // The preview is the public page itself, before anyone else can see it.
    await page.goto(`${editorUrl}/preview`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Halt the fuel shipments");
    expect(await page.locator("ol.endnotes li").count()).toBe(2);
    expect((await page.request.get(`${base}/letters/halt-the-fuel`)).status()).toBe(404);

    // Publishing asks for confirmation first.
    await moveLetterOn(page, editorUrl, "Halt the fuel shipments", { button: "Publish", path: "publish" });
    // The editor says what happened and where readers now find the letter.
    const told = page.locator(".notice", { hasText: "Published." });
    expect(await told.getByRole("link", { name: `${base}/letters/halt-the-fuel` }).count()).toBe(1);

    // A reader: endnotes numbered i, ii with links both ways, and the Burmese text on ?lang=my.
    await page.goto(`${base}/letters/halt-the-fuel`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Halt the fuel shipments");
    expect(await page.locator("sup.endnote-ref a").allTextContents()).toEqual(["[i]", "[ii]"]);
    expect(await page.locator("ol.endnotes li").evaluateAll((items) => items.map((li) => li.id))).toEqual([
      "note-i",
      "note-ii",
    ]);
    expect(await page.locator("ol.endnotes").textContent()).toContain("Fuel trade report, January 2026.");
    expect(await page.locator(".addressees").textContent()).toContain("Country A");
    await switchLanguage(page, "မြန်မာ", "my");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(BURMESE_TITLE);

    expectSelfContained(journey);
  });
});
