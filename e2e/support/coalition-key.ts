import type { Page } from "playwright-core";

/** Steps a coordinator takes with the coalition key in the console's pages (review, import, listing, duplicates). */

/** Chooses the key file, types the passphrase and asks the page to open the key; the key never leaves the browser. */
export async function handTheKeyToThePage(page: Page, keyFile: string, passphrase: string): Promise<void> {
  await page.getByLabel("Key file").setInputFiles(keyFile);
  await page.getByLabel("Passphrase").fill(passphrase);
  await page.getByRole("button", { name: "Open in this browser" }).click();
}

/**
 * Opens the key in the page and waits until the page says it is loaded: argon2id over 256 MiB in
 * WebAssembly takes seconds on a fast machine and much longer on a slow one, hence the long wait.
 */
export async function openTheKeyInThisBrowser(
  page: Page,
  keyFile: string,
  passphrase: string,
): Promise<void> {
  await handTheKeyToThePage(page, keyFile, passphrase);
  await page.waitForFunction(
    () => document.querySelector("[data-key-status]")?.textContent?.startsWith("Key loaded"),
    null,
    { timeout: 120_000 },
  );
}
