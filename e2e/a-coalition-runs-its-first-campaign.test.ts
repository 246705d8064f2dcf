import path from "node:path";
import { describe, expect, it } from "vitest";
import { formsExport, formsRow } from "../test/forms-export.ts";
import { addRecipients, previewAndSend, type Recipient } from "./support/delivery.ts";
import { importInTheBrowser } from "./support/endorsement-import.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { makeTheKeyInThisBrowser } from "./support/key-maker.ts";
import {
  createCampaign,
  draftLetter,
  type LetterDraft,
  moveLetterOn,
  translateLetter,
} from "./support/letter-console.ts";
import { COORDINATOR, createOwnerThroughSetupLink } from "./support/owner.ts";
import { expectSelfContained, switchLanguage } from "./support/reader.ts";
import { screenshotWithFonts } from "./support/screenshot.ts";
import { confirmationLinkIn, publicCounts, takeLongerThanAProgram } from "./support/sign-on.ts";
import { mailTo, useSmtpPeer } from "./support/smtp.ts";

/*
 * A Myanmar coalition runs its first campaign on a fresh server, from the set-up link to the ministers'
 * inboxes: the owner makes the coalition key in the browser, drafts a letter with a Burmese translation,
 * lets trusted networks read and endorse it through a private link before it is public, publishes it,
 * brings in a form service's export (and later its update), approves everything at once, and sends the
 * letter, which a real SMTP server receives.
 */

const PASSPHRASE = "ရန်ကုန် monsoon lantern teak";

const BODY = `We, the undersigned {{total}} organisations, write to you before your meeting in Jakarta.[^1]

We call on you to:

1. stop every shipment of aviation fuel to the military;
2. refer the situation in Myanmar to the Security Council.[^2]

[^1]: Announcement of the meeting, January 2026.
[^2]: Report of the Special Rapporteur, February 2026.`;
const LETTER: LetterDraft = {
  title: "No fuel for air strikes",
  slug: "no-fuel-for-air-strikes",
  subject: "Aviation fuel reaching the Myanmar military",
  letterDate: "2026-02-10",
  body: BODY,
  addressees: { heading: "The Defence Ministers of", names: ["Indonesia", "Thailand"] },
  salutation: "Dear Defence Ministers,",
  closing: "Yours sincerely,",
  categories: ["Myanmar", "regional", "international"],
};
const BURMESE = {
  title: "လေကြောင်းတိုက်ခိုက်မှုအတွက် လောင်စာ မပေးပါနှင့်",
  body: `ကျွန်ုပ်တို့ အဖွဲ့အစည်း {{total}} ဖွဲ့သည် အောက်ပါတို့ကို တောင်းဆိုပါသည်။[^1]

၁။ စစ်တပ်ထံ လေယာဉ်လောင်စာ တင်ပို့မှုအားလုံးကို ရပ်တန့်ရန်
၂။ မြန်မာ့အရေးကို လုံခြုံရေးကောင်စီသို့ လွှဲပြောင်းရန်

[^1]: အစည်းအဝေး ကြေညာချက်၊ ၂၀၂၆ ဇန်နဝါရီ။`,
};
const EARLY_SIGNER = { name: "Mandalay Women Network", email: "office@mandalay-women.example.org" };
const MINISTERS: Recipient[] = [
  {
    name: "Minister of Defence of Indonesia",
    country: "Indonesia",
    group: "The Defence Ministers of",
    email: "minister@defence.example.go.id",
  },
];
const REPLY_TO = "replies@coalition.example.org";

describe.skipIf(!CHROMIUM.available)(`a coalition runs its first campaign${CHROMIUM.note}`, () => {
  const peer = useSmtpPeer();
  const journey = useJourney({ env: () => ({ SMTP_URL: peer().url }) });
  const shots = (name: string) => path.resolve("docs/screenshots", name);
  const key = { file: "", passphrase: PASSPHRASE };
  let editorUrl = "";
  let privateLink = "";
  let letterId = 0;

  it("the owner sets up the server and makes the coalition key in the browser", async () => {
    await createOwnerThroughSetupLink(journey, COORDINATOR);
    await createCampaign(journey, { name: "No Fuel for Air Strikes", slug: "no-fuel" });
    const page = journey.page();
    await page.getByRole("link", { name: "Coalition key" }).click();
    const made = await makeTheKeyInThisBrowser(journey, page, PASSPHRASE);
    key.file = made.keyFile;
    // An owner sets the key at once; a coordinator would only propose it.
    await page.getByRole("button", { name: "Set this key on the campaign" }).click();
    await page.waitForURL("**/admin/campaigns/no-fuel/key?notice=saved");
    expect(await page.locator("code.fingerprint").textContent()).toBe(made.fingerprint);
  });

  it("drafts the letter with its Burmese translation", async () => {
    const page = journey.page();
    await page.goto(`${journey.baseUrl()}/admin/campaigns/no-fuel`);
    editorUrl = await draftLetter(page, LETTER);
    letterId = Number(/\/letters\/(\d+)$/.exec(editorUrl)![1]);
    await translateLetter(page, "my", LETTER.body, BURMESE);
  });

  it("lets a trusted network read the whole letter through the private link and endorse it before publication", async () => {
    const page = journey.page();
    await page.goto(editorUrl);
    await page.getByRole("radio", { name: "Make a new link (any earlier one stops working)" }).check();
    await page.getByRole("button", { name: "Save" }).first().click();
    privateLink = (await page.locator("code.private-link").textContent()) ?? "";
    expect(privateLink).toMatch(new RegExp(`^${journey.baseUrl()}/letters/${LETTER.slug}/sign\\?key=`));

    // While the letter is a draft the link says sign-on has not opened, rather than "not found".
    const signer = await (await journey.newContext({ locale: "en-GB" })).newPage();
    const early = await signer.goto(privateLink);
    expect(early?.status()).toBe(200);
    expect(await signer.locator("main").textContent()).toContain(
      "Sign-on for this letter has not opened yet.",
    );

    await moveLetterOn(page, editorUrl, LETTER.title, { button: "Open sign-on", path: "open" });
    await signer.reload();
    // The signer reads what they endorse: addressees, body and endnotes, before the form.
    const text = signer.locator("section.sign-letter-text");
    for (const part of [
      "The Defence Ministers of",
      "Thailand",
      "Dear Defence Ministers,",
      "refer the situation in Myanmar to the Security Council.",
      "Report of the Special Rapporteur, February 2026.",
      "Yours sincerely,",
    ])
      expect(await text.textContent()).toContain(part);
    expect(await text.locator("ol.endnotes li").count()).toBe(2);
    await screenshotWithFonts(signer, shots("campaign-private-sign-page.png"));

    await signer.getByLabel("Name of the organisation").fill(EARLY_SIGNER.name);
    await signer.getByLabel("Category").selectOption("Myanmar");
    await signer.getByLabel("Country").selectOption("MM");
    await signer.getByLabel("Email address").fill(EARLY_SIGNER.email);
    await signer.locator('input[name="visibility"][value="listed"]').check();
    await signer.getByRole("checkbox", { name: /I am entitled to endorse/ }).check();
    await takeLongerThanAProgram(signer);
    await signer.getByRole("button", { name: "Endorse the letter" }).click();
    await signer.waitForURL(new RegExp(`/letters/${LETTER.slug}/sign/sent\\?key=`));
    // No way back to a letter page that is not public yet.
    expect(await signer.getByRole("link", { name: "Read the letter" }).count()).toBe(0);
    const mail = await mailTo(peer(), EARLY_SIGNER.email, "Confirm your endorsement");
    await signer.goto(confirmationLinkIn(mail));
    await signer.getByRole("button", { name: "Confirm my endorsement" }).click();
    await signer.getByRole("heading", { name: "Your endorsement is confirmed" }).waitFor();
    await signer.context().close();
  });

  it("publishes; a reader finds the sign form from the letter page, and reads the demands numbered ၁။ ၂။ in Burmese", async () => {
    await moveLetterOn(journey.page(), editorUrl, LETTER.title, { button: "Publish", path: "publish" });
    const reader = await (
      await journey.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } })
    ).newPage();
    await reader.goto(`${journey.baseUrl()}/letters/${LETTER.slug}`);
    await reader.getByRole("link", { name: "Endorse this letter" }).first().click();
    await reader.waitForURL(`${journey.baseUrl()}/letters/${LETTER.slug}/sign?lang=en`);
    expect(await reader.getByRole("heading", { level: 1 }).textContent()).toBe(`Endorse: ${LETTER.title}`);
    expect(await reader.locator("form#sign-form").count()).toBe(1);
    // In Burmese, the demands are a list numbered ၁။ ၂။, not one paragraph run together.
    await reader.goBack();
    await switchLanguage(reader, "မြန်မာ", "my");
    const demands = reader.locator("ol.burmese-numbers > li");
    expect(await demands.locator(".list-marker").allTextContents()).toEqual(["၁။", "၂။"]);
    await screenshotWithFonts(reader, shots("campaign-letter-page-my.png"), false);
    await reader.context().close();
  });

  it("imports a form service's export, confirming what its Yes and No answers mean", async () => {
    const page = journey.page();
    // Rows 0–11: every third organisation answered No to "listed publicly?".
    const file = { name: "responses.csv", content: formsExport(0, 12) };
    const summary = await importInTheBrowser(journey, letterId, file, {
      key,
      checkPreview: async () => {
        const answers = page.locator('[data-answer-column="visibility"]');
        expect(await answers.getByLabel("Answer “Yes”").inputValue()).toBe("listed");
        expect(await answers.getByLabel("Answer “No”").inputValue()).toBe("undisclosed");
        expect(await page.locator("[data-preview-summary]").textContent()).toContain(
          "12 rows ready to import (4 undisclosed)",
        );
        await screenshotWithFonts(page, shots("campaign-import-answers.png"));
      },
    });
    expect(summary).toBe("Imported 12, duplicates 0, rejected 0.");
  });

  it("re-imports the updated export, which adds only its new rows, undisclosed ones included", async () => {
    const page = journey.page();
    // Six more rows (two of them undisclosed), and one address corrected in an old row.
    const file = { name: "responses-2.csv", content: formsExport(0, 18, 4) };
    const summary = await importInTheBrowser(journey, letterId, file, {
      key,
      checkPreview: async () => {
        const told = page.locator("[data-preview-summary]");
        await expect.poll(() => told.getAttribute("aria-busy")).toBeNull();
        expect(await told.textContent()).toContain("6 rows ready to import (2 undisclosed)");
        expect(await told.textContent()).toContain("12 already on the letter.");
      },
    });
    expect(summary).toBe("Imported 6, duplicates 12, rejected 0.");
  });

  it("approves every waiting endorsement at once in the review queue", async () => {
    const page = journey.page();
    await page.goto(`${journey.baseUrl()}/admin/letters/${letterId}/review`);
    await page.getByRole("checkbox", { name: "Select all shown" }).check();
    await page.getByRole("button", { name: "Approve selected" }).click();
    await page.waitForURL("**/review?done=approve&changed=19&skipped=0");
    // The early signer and the 18 rows of the export, 6 of them undisclosed.
    expect(await publicCounts(journey, LETTER.slug)).toMatchObject({ total: 19, listed: 13, undisclosed: 6 });
  });

  it("previews the mail to the ministers, sends it, and the minister receives it rendered, replies going to the coalition", async () => {
    const page = journey.page();
    await page.goto(`${journey.baseUrl()}/admin/letters/${letterId}/recipients`);
    await addRecipients(page, MINISTERS);
    await previewAndSend(page, MINISTERS, REPLY_TO);
    const mail = await mailTo(peer(), MINISTERS[0]!.email, LETTER.title);
    expect(mail.replyTo?.text).toBe(REPLY_TO);
    const html = String(mail.html);
    expect(html).toContain('<ol class="endnotes" type="i">');
    expect(html).toContain("Report of the Special Rapporteur, February 2026.");
    // The listed signatories follow the letter: the one who signed early, and those imported.
    expect(html).toContain(EARLY_SIGNER.name);
    expect(html).toContain(formsRow(1).name);
    expect(html).not.toContain(formsRow(3).name);
    expect(`${html}${mail.text}`).not.toMatch(/\[\^|\{\{/);
    expect(mail.attachments.map((a) => a.contentType)).toEqual(["application/pdf"]);
    expectSelfContained(journey);
  });
});
