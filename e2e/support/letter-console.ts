import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Journey } from "./journey.ts";

/** A coordinator's steps with a campaign and its letter in the console, through plain forms (no script). */

export type LetterDraft = {
  title: string;
  slug: string;
  subject: string;
  letterDate: string;
  body: string;
  addressees: { heading: string; names: string[] };
  salutation: string;
  closing: string;
  categories: string[];
};

/** Creates a campaign from the console's campaign list; the browser is on the campaign's page afterwards. */
export async function createCampaign(journey: Journey, campaign: { name: string; slug: string }) {
  const page = journey.page();
  await page.goto(`${journey.baseUrl()}/admin/campaigns`);
  await page.getByLabel("Name").fill(campaign.name);
  await page.getByLabel("Address (slug)").fill(campaign.slug);
  await page.getByRole("button", { name: "Create the campaign" }).click();
  await page.waitForURL(`${journey.baseUrl()}/admin/campaigns/${campaign.slug}`);
}

/**
 * From the campaign's page: creates a draft and writes every part of it in the editor, then saves. Returns
 * the editor's address; the browser stays on the editor, which says "Saved.".
 */
export async function draftLetter(page: Page, draft: LetterDraft): Promise<string> {
  await page.getByLabel("Title").fill(draft.title);
  await page.getByLabel("Address (slug)").fill(draft.slug);
  await page.getByRole("button", { name: "Create the draft" }).click();
  await page.waitForURL(/\/admin\/letters\/\d+$/);
  const editorUrl = page.url();
  await page.getByLabel("Subject").fill(draft.subject);
  await page.getByLabel("Letter date").fill(draft.letterDate);
  await page.getByLabel("Body").fill(draft.body);
  await page.getByRole("button", { name: "Add a group" }).click();
  // The page came back with an empty group and the text typed so far.
  await expect(page.getByLabel("Body").inputValue()).resolves.toBe(draft.body);
  await page.getByLabel("Heading, e.g. “The Foreign Ministers of”").fill(draft.addressees.heading);
  await page.getByLabel("Names, one per line").fill(draft.addressees.names.join("\n"));
  await page.getByLabel("Salutation").fill(draft.salutation);
  await page.getByLabel("Closing").fill(draft.closing);
  await page.getByLabel("Categories, one per line").fill(draft.categories.join("\n"));
  await page.getByRole("button", { name: "Save" }).first().click();
  await page.waitForURL(`${editorUrl}?notice=saved`);
  expect(await page.getByRole("status").textContent()).toContain("Saved.");
  return editorUrl;
}

/**
 * From the editor: opens the translation into `language`, checks the original body is shown beside it,
 * writes the translation and saves it.
 */
export async function translateLetter(
  page: Page,
  language: string,
  originalBody: string,
  translation: { title: string; body: string },
): Promise<void> {
  await page.getByLabel("Add or edit a translation").selectOption(language);
  await page.getByRole("button", { name: "Open" }).click();
  await page.waitForURL(new RegExp(`/translations/${language}$`));
  expect(await page.locator("#original-body").inputValue()).toBe(originalBody);
  await page.locator("#field-title").fill(translation.title);
  await page.locator("#field-body").fill(translation.body);
  await page.getByRole("button", { name: "Save" }).first().click();
  await page.waitForURL(new RegExp(`/translations/${language}\\?notice=saved$`));
}

/**
 * From anywhere: moves the letter titled so on ("Open sign-on", "Publish"), confirming on the page that asks
 * first; the browser is back on the editor, which says what changed.
 */
export async function moveLetterOn(
  page: Page,
  editorUrl: string,
  title: string,
  transition: { button: string; path: "open" | "publish" },
): Promise<void> {
  await page.goto(editorUrl);
  await page.getByRole("link", { name: transition.button, exact: true }).click();
  await page.waitForURL(new RegExp(`/state/${transition.path}$`));
  expect(await page.locator("main").textContent()).toContain(`“${title}”?`);
  await page.getByRole("button", { name: transition.button, exact: true }).click();
  await page.waitForURL(`${editorUrl}?changed=${transition.path}`);
}
