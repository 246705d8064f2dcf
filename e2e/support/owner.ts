import { expect } from "vitest";
import type { Journey } from "./journey.ts";

export type OwnerDetails = { name: string; email: string; password: string };

/**
 * Follows the set-up link the server announced and creates the owner account, as an operator does on a
 * first run; the browser is signed in as the owner afterwards, on the security page.
 */
export async function createOwnerThroughSetupLink(journey: Journey, owner: OwnerDetails): Promise<void> {
  const page = journey.page();
  const setupLink = journey.server().setupLink!;
  expect(setupLink).toMatch(new RegExp(`^${journey.baseUrl()}/admin/setup/[A-Za-z0-9_-]{43}$`));
  expect(journey.announced()).toContain(
    `Set up the first coordinator (link valid 24 h, works once): ${setupLink}`,
  );
  await page.goto(setupLink);
  await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
    "Set up the first coordinator",
  );
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("Email address").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Repeat the password").fill(owner.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL("**/admin/security?welcome=1");
  expect(await page.getByRole("status").textContent()).toContain("Your owner account is ready.");
}
