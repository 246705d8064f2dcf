import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Journey } from "./journey.ts";

/**
 * On the campaign's key page: makes the coalition key in the browser with this passphrase (argon2id over
 * 256 MiB in WebAssembly: seconds) and downloads the key file to the coordinator's own machine (the
 * journey's work directory). The public key is offered to the campaign only once the file was taken.
 */
export async function makeTheKeyInThisBrowser(
  journey: Journey,
  page: Page,
  passphrase: string,
): Promise<{ keyFile: string; fileText: string; fingerprint: string }> {
  await page.getByLabel("Passphrase for the key file").fill(passphrase);
  await page.getByLabel("The same passphrase again").fill(passphrase);
  await page.getByRole("button", { name: "Make the key" }).click();
  const link = page.getByRole("link", { name: "Download the key file" });
  await link.waitFor({ state: "visible", timeout: 120_000 });
  const fingerprint = (await page.locator("[data-made-fingerprint]").textContent()) ?? "";
  expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
  expect(await page.locator("[data-set-made]").isVisible()).toBe(false);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const keyFile = path.join(journey.workDir(), download.suggestedFilename());
  await download.saveAs(keyFile);
  return { keyFile, fileText: readFileSync(keyFile, "utf8"), fingerprint };
}
