import { writeFileSync } from "node:fs";
import path from "node:path";
import { openTheKeyInThisBrowser } from "./coalition-key.ts";
import type { Journey } from "./journey.ts";

/** A coordinator's steps on a letter's import page, where the file is read and sealed in the browser. */

/**
 * Writes `content` to a file on the coordinator's machine, reads it on the letter's import page, lets the
 * caller check (and answer) the preview, imports the rows as waiting for review and returns the report's
 * summary line. With `key`, the coalition key is opened on the page first, so undisclosed rows are
 * compared with the letter's own.
 */
export async function importInTheBrowser(
  journey: Journey,
  letterId: number,
  file: { name: string; content: string },
  options: { key?: { file: string; passphrase: string }; checkPreview?: () => Promise<void> } = {},
): Promise<string> {
  const page = journey.page();
  const local = path.join(journey.workDir(), file.name);
  writeFileSync(local, file.content);
  await page.goto(`${journey.baseUrl()}/admin/letters/${letterId}/import`);
  if (options.key) await openTheKeyInThisBrowser(page, options.key.file, options.key.passphrase);
  await page.getByLabel("File (CSV or XLSX)").setInputFiles(local);
  await page.getByRole("button", { name: "Read the file" }).click();
  await page.locator("#import-browser").waitFor({ state: "visible" });
  await options.checkPreview?.();
  await page.getByLabel("Confirmed: waiting for review").check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.waitForURL("**/import/rows");
  return (await page.locator("[data-import-summary]").textContent()) ?? "";
}
