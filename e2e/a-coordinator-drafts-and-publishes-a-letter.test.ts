import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { setCampaignKey } from "../src/commands/set-campaign-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
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
    await page.goto(`${base}/admin/campaigns`);
    await page.getByLabel("Name").fill("Aviation Fuel Coalition");
    await page.getByLabel("Address (slug)").fill("aviation-fuel");
    await page.getByRole("button", { name: "Create the campaign" }).click();
    await page.waitForURL(`${base}/admin/campaigns/aviation-fuel`);
    // The operator runs `undersigned keygen --campaign aviation-fuel`; here its effect, directly.
    await setCampaignKey(
      { store: journey.server().store },
      { campaignSlug: "aviation-fuel", publicKey: randomBytes(32).toString("base64"), actor: "cli" },
      new Date(),
    );

    // A draft, then every part of it in the editor (no script involved: plain forms).
    await page.getByLabel("Title").fill("Halt the fuel shipments");
    await page.getByLabel("Address (slug)").fill("halt-the-fuel");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.waitForURL(/\/admin\/letters\/\d+$/);
    const editorUrl = page.url();
    await page.getByLabel("Subject").fill("Aviation fuel reaching the military");
    await page.getByLabel("Letter date").fill("2026-02-10");
    await page.getByLabel("Body").fill(BODY + NOTES);
    await page.getByRole("button", { name: "Add a group" }).click();
    // The page came back with an empty group and the text typed so far.
    await expect(page.getByLabel("Body").inputValue()).resolves.toBe(BODY + NOTES);
    await page.getByLabel("Heading, e.g. “The Foreign Ministers of”").fill("The Trade Ministers of");
    await page.getByLabel("Names, one per line").fill("Country A\nCountry B");
    await page.getByLabel("Salutation").fill("Dear Ministers,");
    await page.getByLabel("Closing").fill("Yours sincerely,");
    await page.getByLabel("Categories, one per line").fill("Myanmar\nregional\ninternational");
    await page.getByRole("button", { name: "Save" }).first().click();
    await page.waitForURL(`${editorUrl}?notice=saved`);
    expect(await page.getByRole("status").textContent()).toContain("Saved.");
    await page.setViewportSize({ width: 1100, height: 900 });
    await screenshotWithFonts(page, path.resolve("docs/screenshots/console-letter-editor.png"));

    // The Burmese translation, beside the English original.
    await page.getByLabel("Add or edit a translation").selectOption("my");
    await page.getByRole("button", { name: "Open" }).click();
    await page.waitForURL(/\/translations\/my$/);
    expect(await page.locator("#original-body").inputValue()).toBe(BODY + NOTES);
    await page.locator("#field-title").fill(BURMESE_TITLE);
    await page
      .locator("#field-body")
      .fill("ကျွန်ုပ်တို့ {{total}} ဖွဲ့သည် တောင်းဆိုပါသည်။[^1]\n\n[^1]: လောင်စာ ကုန်သွယ်မှု အစီရင်ခံစာ။");
    await page.getByRole("button", { name: "Save" }).first().click();
    await page.waitForURL(/\/translations\/my\?notice=saved$/);

    // The preview is the public page itself, before anyone else can see it.
    await page.goto(`${editorUrl}/preview`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Halt the fuel shipments");
    expect(await page.locator("ol.endnotes li").count()).toBe(2);
    expect((await page.request.get(`${base}/letters/halt-the-fuel`)).status()).toBe(404);

    // Publishing asks for confirmation first.
    await page.goto(editorUrl);
    await page.getByRole("link", { name: "Publish" }).click();
    await page.waitForURL(/\/state\/publish$/);
    expect(await page.locator("main").textContent()).toContain("Publish “Halt the fuel shipments”?");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.waitForURL(`${editorUrl}?changed=publish`);
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
