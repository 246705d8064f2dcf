import { readFileSync } from "node:fs";
import { simpleParser } from "mailparser";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { CHROMIUM, type Journey, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink } from "./support/owner.ts";

const owner = {
  name: "Daw Invite Owner",
  email: "invite.owner@example.org",
  password: "a passphrase for the owner",
};
const reviewer = {
  name: "Ko Reviewer",
  email: "ko.reviewer@example.org",
  password: "a passphrase to review",
};

/** The invitation link from the mail the outbox worker stored in the local mailbox for the address. */
async function invitationLinkTo(journey: Journey, address: string): Promise<string> {
  const announcement = /^Mail "(.*)" stored in (.+?) \(SMTP_URL not set\)$/;
  for (let i = 0; i < 100; i++) {
    for (const line of journey.announced()) {
      const [, subject, stored] = announcement.exec(line) ?? [];
      if (!subject?.startsWith("Invitation") || !stored) continue;
      const mail = await simpleParser(readFileSync(stored));
      if (![mail.to ?? []].flat().some((to) => to.value.some((a) => a.address === address))) continue;
      return /(http:\/\/\S+\/admin\/invite\/\S+)/.exec(mail.text ?? "")![1]!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no invitation to ${address} was stored in the mailbox`);
}

/** Nothing sideways-scrolls on a 360 px phone: the page is no wider than the screen, in both languages. */
async function fitsAPhone(page: Page, url: string): Promise<void> {
  for (const lang of ["en", "my"]) {
    const response = await page.goto(`${url}${url.includes("?") ? "&" : "?"}lang=${lang}`);
    expect([url, response?.status()]).toEqual([url, 200]);
    expect(await page.locator("html").getAttribute("lang")).toBe(lang);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect({ url, lang, width, fits: width <= 360 }).toEqual({ url, lang, width, fits: true });
  }
  await page.goto(`${url}${url.includes("?") ? "&" : "?"}lang=en`);
}

describe.skipIf(!CHROMIUM.available)(`an owner invites a reviewer${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("invites by email; the reviewer accepts, signs in and sees only that campaign, all fitting a phone", async () => {
    const page = journey.page();
    await createOwnerThroughSetupLink(journey, owner);

    // A second campaign, which the reviewer must never see.
    await page.goto(`${journey.baseUrl()}/admin/campaigns`);
    await page.getByLabel("Name").fill("Another cause");
    await page.getByLabel("Address (slug)").fill("another-cause");
    await page.getByRole("button", { name: "Create the campaign" }).click();
    await page.waitForURL("**/admin/campaigns/another-cause");

    // The example campaign's team page: invite a reviewer.
    await page.goto(`${journey.baseUrl()}/admin/campaigns`);
    const example = page.locator("ul.campaigns a").filter({ hasNotText: "Another cause" }).first();
    const campaignName = (await example.textContent())!;
    await example.click();
    const campaignUrl = page.url();
    const letterId = /\/admin\/letters\/(\d+)"/.exec(await page.content())![1]!;
    await page.getByRole("link", { name: "Team" }).click();
    await page.getByLabel("Email address").fill(reviewer.email);
    await page.getByLabel("Role", { exact: true }).selectOption("reviewer");
    await page.getByRole("button", { name: "Send the invitation" }).click();
    expect(await page.getByRole("status").textContent()).toContain("The invitation has been sent.");
    expect(await page.locator("main").textContent()).toContain(reviewer.email);
    const teamUrl = page.url().replace(/\?.*$/, "");

    // The console pages coordinators use most fit a phone, in English and in Burmese.
    await page.setViewportSize({ width: 360, height: 740 });
    for (const url of [campaignUrl, `${journey.baseUrl()}/admin/letters/${letterId}`, teamUrl])
      await fitsAPhone(page, url);
    await fitsAPhone(page, `${journey.baseUrl()}/admin/letters/${letterId}/review`);

    // The reviewer, in their own browser, follows the mailed link and creates their account.
    const link = await invitationLinkTo(journey, reviewer.email);
    const theirs = await (await journey.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    await theirs.goto(link);
    expect(await theirs.locator("main").textContent()).toContain(
      `join the campaign “${campaignName}” as reviewer`,
    );
    await theirs.getByLabel("Your name").fill(reviewer.name);
    await theirs.getByLabel("Password", { exact: true }).fill(reviewer.password);
    await theirs.getByLabel("Repeat the password").fill(reviewer.password);
    await theirs.getByRole("button", { name: "Create my account and join" }).click();
    await theirs.waitForURL(campaignUrl);

    // Signed out and in again with the new password: one campaign, its review queue, nothing else.
    await theirs.getByRole("button", { name: "Sign out" }).click();
    await theirs.waitForURL("**/admin/login?notice=signed_out");
    await theirs.getByLabel("Email address").fill(reviewer.email);
    await theirs.getByLabel("Password").fill(reviewer.password);
    await theirs.getByRole("button", { name: "Sign in" }).click();
    await theirs.waitForURL(`${journey.baseUrl()}/admin`);
    await theirs.goto(`${journey.baseUrl()}/admin/campaigns`);
    expect(await theirs.locator("ul.campaigns li").allTextContents()).toEqual([
      expect.stringContaining(campaignName),
    ]);
    const other = await theirs.goto(`${journey.baseUrl()}/admin/campaigns/another-cause`);
    expect(other?.status()).toBe(403);
    const queue = await theirs.goto(`${journey.baseUrl()}/admin/letters/${letterId}/review`);
    expect(queue?.status()).toBe(200);

    // The link worked once.
    expect((await theirs.goto(link))?.status()).toBe(410);

    expect(journey.foreignRequests()).toEqual([]);
    // The only failed loads are the two refusals asked for above.
    expect(
      journey.pageErrors().map((e) => e.replace(/ http:.*\/admin\/(campaigns|invite)\/.*$/, " $1")),
    ).toEqual([
      "Failed to load resource: the server responded with a status of 403 (Forbidden) campaigns",
      "Failed to load resource: the server responded with a status of 410 (Gone) invite",
    ]);
  });
});
