import type { Page } from "playwright-core";

/**
 * A screenshot of the page as a reader sees it once its fonts have arrived. The Burmese font is a web font
 * with `font-display: swap` and a unicode-range, so it is requested only when layout meets Myanmar text and
 * the page shows a fallback until it loads; on a machine without a system Myanmar font that fallback is a
 * row of empty boxes. Forcing layout first makes sure every font the page needs has been requested before
 * waiting for document.fonts.ready, which otherwise may resolve before the request starts.
 */
export async function screenshotWithFonts(page: Page, file: string, fullPage = true): Promise<void> {
  await page.evaluate(async () => {
    document.body.getBoundingClientRect();
    await document.fonts.ready;
  });
  await page.screenshot({ path: file, fullPage });
}
