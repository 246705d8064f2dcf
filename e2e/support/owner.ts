import { Secret, TOTP } from "otpauth";
import { expect } from "vitest";
import type { Journey } from "./journey.ts";

export type OwnerDetails = { name: string; email: string; password: string };

/** The coordinator of the letter-writing journeys, who sets the server up and runs the campaign alone. */
export const COORDINATOR: OwnerDetails = {
  name: "Daw Coordinator",
  email: "coordinator@example.org",
  password: "a passphrase for the coordinator",
};

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

/** What the phone would show: computed with otpauth directly from the secret the page displayed. */
export function phoneCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/**
 * From the security page the owner lands on after set-up: turns on TOTP with a code from the "phone",
 * reads the recovery codes and continues to the console. Returns the secret, for signing in again.
 */
export async function turnOnTotp(journey: Journey): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = journey.page();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await page.waitForURL("**/admin/security");
  const secret = (await page.locator("code.secret").textContent())!.replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const uri = await page.locator("a.otpauth").getAttribute("href");
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  expect(uri).toContain(`secret=${secret}`);
  await page.getByLabel("Authentication code").fill(phoneCode(secret, Date.now()));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Recovery codes");
  const recoveryCodes = await page.locator("ul.recovery-codes li").allTextContents();
  await page.getByRole("link", { name: "Continue" }).click();
  await page.waitForURL(`${journey.baseUrl()}/admin`);
  return { secret, recoveryCodes };
}

/**
 * Signs in from the login page with the password, then a code. The code used to turn TOTP on is spent, so
 * this takes the next step's code, which the ±1-step window accepts.
 */
export async function signInWithCode(journey: Journey, owner: OwnerDetails, secret: string): Promise<void> {
  const page = journey.page();
  await page.getByLabel("Email address").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/admin/login/code");
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Second factor");
  await page.getByLabel("Authentication code").fill(phoneCode(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${journey.baseUrl()}/admin`);
  expect(await page.locator("main").textContent()).toContain(`Signed in as ${owner.name} (owner).`);
}
