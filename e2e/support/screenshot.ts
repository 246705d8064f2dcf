import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";

/*
 * The journeys can refresh the README's pictures in docs/screenshots/, but only when asked with
 * UPDATE_SCREENSHOTS=1: a plain run of the journeys leaves the working tree as it found it.
 */

const updating = process.env.UPDATE_SCREENSHOTS === "1";

/** Where a screenshot goes, its folder made; undefined when this run does not update screenshots. */
function target(file: string): string | undefined {
  if (!updating) return undefined;
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  return resolved;
}

/**
 * A screenshot of the page as a reader sees it once its fonts have arrived. The Burmese font is a web font
 * with `font-display: swap` and a unicode-range, so it is requested only when layout meets Myanmar text and
 * the page shows a fallback until it loads; on a machine without a system Myanmar font that fallback is a
 * row of empty boxes. Forcing layout first makes sure every font the page needs has been requested before
 * waiting for document.fonts.ready, which otherwise may resolve before the request starts.
 */
export async function screenshotWithFonts(page: Page, file: string, fullPage = true): Promise<void> {
  const to = target(file);
  if (!to) return;
  await page.evaluate(async () => {
    document.body.getBoundingClientRect();
    await document.fonts.ready;
  });
  await page.screenshot({ path: to, fullPage });
}

/** One part of a page, once the page's fonts (Burmese included) have arrived. */
export async function screenshotOf(part: Locator, file: string): Promise<void> {
  const to = target(file);
  if (!to) return;
  await part.page().evaluate(() => document.fonts.ready);
  await part.screenshot({ path: to });
}
