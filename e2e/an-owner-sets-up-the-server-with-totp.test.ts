import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink } from "./support/owner.ts";

const owner = {
  name: "Daw Journey Owner",
  email: "journey.owner@example.org",
  password: "a passphrase for the journey",
};

/** What the phone would show: computed with otpauth directly from the secret the page displayed. */
function phoneCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

describe.skipIf(!CHROMIUM.available)(`an owner sets up the server with TOTP${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("follows the set-up link, creates the owner, turns on TOTP, signs out and back in with password and code", async () => {
    const page = journey.page();
    // The link from the terminal opens the owner form.
    await createOwnerThroughSetupLink(journey, owner);

    // Two-factor authentication: the page shows the secret as text and as an otpauth:// link.
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
    const codes = await page.locator("ul.recovery-codes li").allTextContents();
    expect(codes).toHaveLength(10);

    // Signed in as the owner; then signing out ends the session.
    await page.getByRole("link", { name: "Continue" }).click();
    await page.waitForURL(`${journey.baseUrl()}/admin`);
    expect(await page.locator("main").textContent()).toContain(`Signed in as ${owner.name} (owner).`);
    const [session] = (await journey.context().cookies()).filter((c) => c.name === "us_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/admin", secure: false });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/admin/login?notice=signed_out");
    expect(await page.getByRole("status").textContent()).toContain("You have been signed out.");
    await page.goto(`${journey.baseUrl()}/admin`);
    await page.waitForURL("**/admin/login");

    // Back in: the password, then a code. The code used to turn TOTP on is spent, so take the next step's
    // code, which the ±1-step window accepts.
    await page.getByLabel("Email address").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/admin/login/code");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Second factor");
    await page.getByLabel("Authentication code").fill(phoneCode(secret, Date.now() + 30_000));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${journey.baseUrl()}/admin`);
    expect(await page.locator("main").textContent()).toContain(`Signed in as ${owner.name} (owner).`);
    expect(await page.locator("main").textContent()).not.toContain("Two-factor authentication is off");

    expect(journey.foreignRequests()).toEqual([]);
    expect(journey.pageErrors()).toEqual([]);
  });
});
