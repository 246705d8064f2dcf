import { describe, expect, it } from "vitest";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink, signInWithCode, turnOnTotp } from "./support/owner.ts";

const owner = {
  name: "Daw Journey Owner",
  email: "journey.owner@example.org",
  password: "a passphrase for the journey",
};

describe.skipIf(!CHROMIUM.available)(`an owner sets up the server with TOTP${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("follows the set-up link, creates the owner, turns on TOTP, signs out and back in with password and code", async () => {
    const page = journey.page();
    // The link from the terminal opens the owner form.
    await createOwnerThroughSetupLink(journey, owner);

    // Two-factor authentication: the page shows the secret as text and as an otpauth:// link.
    const { secret, recoveryCodes } = await turnOnTotp(journey);
    expect(recoveryCodes).toHaveLength(10);

    // Signed in as the owner; then signing out ends the session.
    expect(await page.locator("main").textContent()).toContain(`Signed in as ${owner.name} (owner).`);
    const [session] = (await journey.context().cookies()).filter((c) => c.name === "us_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/admin", secure: false });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/admin/login?notice=signed_out");
    expect(await page.getByRole("status").textContent()).toContain("You have been signed out.");
    await page.goto(`${journey.baseUrl()}/admin`);
    await page.waitForURL("**/admin/login");

    // Back in: the password, then a code.
    await signInWithCode(journey, owner, secret);
    expect(await page.locator("main").textContent()).not.toContain("Two-factor authentication is off");

    expect(journey.foreignRequests()).toEqual([]);
    expect(journey.pageErrors()).toEqual([]);
  });
});
