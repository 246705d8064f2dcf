import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Journey } from "./journey.ts";

/** Clicks a language in the site header (by its own name, e.g. "မြန်မာ") and waits for the page in it. */
export async function switchLanguage(page: Page, label: string, locale: string): Promise<void> {
  await page.locator("header.site nav").getByRole("link", { name: label, exact: true }).click();
  await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
}

/** What every journey ends with: the browser talked to no other origin and no page reported an error. */
export function expectSelfContained(journey: Journey): void {
  expect(journey.foreignRequests()).toEqual([]);
  expect(journey.pageErrors()).toEqual([]);
}
