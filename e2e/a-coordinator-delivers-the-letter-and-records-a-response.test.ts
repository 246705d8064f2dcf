import path from "node:path";
import { describe, expect, it } from "vitest";
import { addRecipients, previewAndSend, type Recipient } from "./support/delivery.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { COORDINATOR, createOwnerThroughSetupLink } from "./support/owner.ts";
import { expectSelfContained, switchLanguage } from "./support/reader.ts";
import { screenshotOf, screenshotWithFonts } from "./support/screenshot.ts";

/*
 * The example letter goes to two officials: the coordinator adds them, sends the letter with its PDF
 * (printed by the server's Chromium, mailed by its outbox worker to the local mailbox), records one
 * official's public response and stance, and a reader watches the tracker under the letter change, in
 * English and in Burmese.
 */

const MINISTERS: Recipient[] = [
  {
    name: "Minister of Defence",
    country: "Indonesia",
    group: "The Ministers of",
    email: "minister@defence.example.go.id",
  },
  {
    name: "Minister of Foreign Affairs",
    country: "Thailand",
    group: "The Ministers of",
    email: "minister@mfa.example.go.th",
  },
];

describe.skipIf(!CHROMIUM.available)(
  `a coordinator delivers the letter and records a response${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("adds recipients, delivers, records a response and a stance; the reader's tracker follows", async () => {
      const page = journey.page();
      const base = journey.baseUrl();
      await createOwnerThroughSetupLink(journey, COORDINATOR);
      const { db } = journey.server().store;
      const letter = await db.selectFrom("letters").select(["id", "slug"]).executeTakeFirstOrThrow();

      // From the letter's console page to its recipients.
      await page.goto(`${base}/admin/letters/${letter.id}`);
      await page.getByRole("link", { name: "Recipients & delivery" }).click();
      await page.waitForURL(`${base}/admin/letters/${letter.id}/recipients`);
      await addRecipients(page, MINISTERS);

      // The reader sees no tracker before the letter has gone anywhere.
      const reader = await (await journey.newContext({ locale: "en-GB" })).newPage();
      await reader.goto(`${base}/letters/${letter.slug}`);
      expect(await reader.locator("section.tracker").count()).toBe(0);

      // The first press shows the mail as the ministers will read it; nothing goes out until "Send now".
      await previewAndSend(page, MINISTERS, "coalition@example.org");

      // The outbox worker sends them within its poll; the tracker appears once they are delivered.
      const sentence = () => reader.locator("p.tracker-statement").textContent();
      await expect
        .poll(
          async () => {
            await reader.reload();
            return (await reader.locator("p.tracker-statement").count()) > 0 ? sentence() : null;
          },
          { timeout: 20_000, interval: 500 },
        )
        .toBe("To date, neither recipient has responded.");
      expect(await reader.locator("section.tracker").textContent()).toContain("Delivered by email on");

      // The campaign's stance, then the minister's response and stance.
      await page.goto(`${base}/admin/letters/${letter.id}/recipients`);
      await page.getByRole("link", { name: "Stances of the campaign" }).click();
      await page.getByLabel("Label").fill("declined to attend");
      await page.getByLabel("In English").fill("declined to attend");
      await page.getByLabel("In Burmese").fill("တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်");
      await page.getByRole("button", { name: "Add a stance" }).click();
      await page.waitForURL(/\/stances\?notice=saved$/);

      await page.goto(`${base}/admin/letters/${letter.id}/recipients`);
      await screenshotWithFonts(page, path.resolve("docs/screenshots/console-recipients.png"));
      await page
        .locator("tr", { hasText: "Minister of Defence" })
        .getByRole("link", { name: "Open" })
        .click();
      await page.getByLabel("Summary").fill("The ministry replied that it will not attend the meeting.");
      await page.getByLabel("Show this response and its document on the public tracker").check();
      await page.getByRole("button", { name: "Record the response" }).click();
      await page.waitForURL(/notice=response$/);
      await page.getByLabel("declined to attend").check();
      await page.getByRole("button", { name: "Save the stances" }).click();
      await page.waitForURL(/notice=stances$/);

      await reader.reload();
      expect(await sentence()).toBe("To date, 1 of 2 recipients has not responded.");
      const tracker = reader.locator("section.tracker");
      expect(await tracker.textContent()).toContain(
        "The ministry replied that it will not attend the meeting.",
      );
      expect(await tracker.locator("ul.stances li").allTextContents()).toEqual(["declined to attend"]);
      expect(await tracker.textContent()).not.toContain("@");
      await screenshotOf(tracker, "docs/screenshots/letter-tracker-en.png");

      await switchLanguage(reader, "မြန်မာ", "my");
      expect(await sentence()).toBe("ယနေ့အထိ လက်ခံသူ ၂ ဦးအနက် ၁ ဦးက တုံ့ပြန်ခြင်း မရှိသေးပါ။");
      expect(await tracker.locator("ul.stances li").allTextContents()).toEqual(["တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်"]);
      await screenshotOf(tracker, "docs/screenshots/letter-tracker-my.png");

      expectSelfContained(journey);
    });
  },
);
