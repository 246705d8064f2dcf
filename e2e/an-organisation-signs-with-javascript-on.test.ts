import { describe, expect, it } from "vitest";
import { openSealed } from "../src/crypto/seal.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { signatureOf } from "../test/signature-rows.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { expectSealedAsTyped, fillInTheOrganisation } from "./support/sealed-identity.ts";
import {
  approveTheEndorsement,
  confirmationLinkFromMailbox,
  publicCounts,
  takeLongerThanAProgram,
} from "./support/sign-on.ts";

const typed = {
  name: "Salween Watershed Defenders",
  nameAlt: "သံလွင်မြစ်ဝှမ်း ကာကွယ်သူများ",
  website: "salween-defenders.example.org",
  contact: "Naw Journey Paw",
  email: "js.signer@example.org",
};

describe.skipIf(!CHROMIUM.available)(`an organisation signs with JavaScript on${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("seals its identity and contact in the browser, confirms from the mail, is approved and counted", async () => {
    const { store } = journey.server();
    const letter = await insertSignableLetter(store.db, { moderation: true });
    const page = journey.page();
    expect(await publicCounts(journey, letter.slug)).toMatchObject({ total: 0, undisclosed: 0 });

    // What the browser sent, exactly as it went over the wire.
    const posted: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.endsWith("/sign")) {
        posted.push(request.postData() ?? "");
      }
    });

    await page.goto(`${journey.baseUrl()}/letters/${letter.slug}/sign`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Endorse: Stop the forced returns",
    );
    await fillInTheOrganisation(page, typed);
    await page.getByLabel("Email address").fill(typed.email);
    await page.getByRole("radio", { name: /Undisclosed/ }).check();
    await page.getByRole("checkbox", { name: /I am entitled to endorse/ }).check();
    await takeLongerThanAProgram(page);
    await page.getByRole("button", { name: "Endorse the letter" }).click();
    await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Check your email");

    // The form was sealed before it left the browser: none of the identity or the contact person travelled,
    // in any encoding; the email address did, only in its own field, because the confirmation mail needs it.
    expect(posted).toHaveLength(1);
    const body = posted[0]!;
    const form = new URLSearchParams(body);
    for (const field of ["name", "name_alt", "website", "category", "country", "contact_person"]) {
      expect(form.has(field), field).toBe(false);
    }
    for (const value of [typed.name, typed.nameAlt, typed.website, typed.contact, "salween", "Salween"]) {
      expect(body).not.toContain(value);
      expect(body).not.toContain(encodeURIComponent(value));
      expect(decodeURIComponent(body.replace(/\+/g, " "))).not.toContain(value);
    }
    expect(form.get("email")).toBe(typed.email);
    expect(body.split(encodeURIComponent(typed.email)).length - 1).toBe(1);
    const sealedIdentity = form.get("sealed_identity")!;
    const sealedContact = form.get("sealed_contact")!;
    expect(sealedIdentity).toMatch(/^[A-Za-z0-9+/]{60,}={0,2}$/);
    expect(sealedContact).toMatch(/^[A-Za-z0-9+/]{60,}={0,2}$/);

    // The server stored the browser's boxes as they came, and the coordinators' key opens them.
    const row = await signatureOf(store.db, letter.id);
    expect(row).toMatchObject({
      visibility: "undisclosed",
      display_name: null,
      match_key: null,
      website: null,
      category: null,
      country: null,
      sealed_identity: sealedIdentity,
      sealed_contact: sealedContact,
    });
    await expectSealedAsTyped(row, letter.keyPair, typed, typed.email);
    const event = await store.db
      .selectFrom("signer_events")
      .select("detail")
      .where("action", "=", "signature.submit")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(event.detail))).toMatchObject({ sealed_in_browser: true });

    const link = await confirmationLinkFromMailbox(journey, "Confirm your endorsement");
    await page.goto(link);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Confirm your endorsement");
    await page.getByRole("button", { name: "Confirm my endorsement" }).click();
    await page.getByRole("heading", { name: "Your endorsement is confirmed" }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your endorsement is confirmed");
    expect(await page.locator("main").textContent()).not.toContain(typed.name);
    expect(await publicCounts(journey, letter.slug)).toMatchObject({ total: 0 });

    await approveTheEndorsement(journey, letter.id);
    expect(await publicCounts(journey, letter.slug)).toMatchObject({ total: 1, undisclosed: 1, listed: 0 });
    await page.goto(`${journey.baseUrl()}/letters/${letter.slug}`);
    expect(await page.content()).not.toContain(typed.name);

    expect(journey.foreignRequests()).toEqual([]);
    // CSP violations and script errors surface here: the module script ran under `script-src 'self'`.
    expect(journey.pageErrors()).toEqual([]);
  });

  it("seals a threshold endorsement (listed once others are) the same way, with only its condition in the clear", async () => {
    const { store } = journey.server();
    const letter = await insertSignableLetter(store.db, { moderation: true });
    const page = journey.page();
    const posted: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === `/letters/${letter.slug}/sign`)
        posted.push(request.postData() ?? "");
    });
    await page.goto(`${journey.baseUrl()}/letters/${letter.slug}/sign`);
    await page.getByLabel("Name of the organisation").fill(typed.name);
    await page.getByLabel("Website").fill(typed.website);
    await page.getByLabel("Email address").fill("threshold.signer@example.org");
    await page.getByRole("radio", { name: /Listed once others are/ }).check();
    await page.getByLabel(/List our name once at least this many/).fill("7");
    await page.getByLabel("Or from this date").fill("2027-01-15");
    await page.getByRole("checkbox", { name: /I am entitled to endorse/ }).check();
    await takeLongerThanAProgram(page);
    await page.getByRole("button", { name: "Endorse the letter" }).click();
    await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);

    expect(posted).toHaveLength(1);
    const form = new URLSearchParams(posted[0]!);
    for (const field of ["name", "website", "country", "category"])
      expect(form.has(field), field).toBe(false);
    for (const value of [typed.name, "salween", "Salween"]) expect(posted[0]).not.toContain(value);
    expect([form.get("visibility"), form.get("threshold"), form.get("disclose_on")]).toEqual([
      "threshold",
      "7",
      "2027-01-15",
    ]);
    const row = await signatureOf(store.db, letter.id);
    expect(row).toMatchObject({
      visibility: "undisclosed",
      display_name: null,
      disclose_threshold: 7,
      disclose_on: "2027-01-15",
      sealed_identity: form.get("sealed_identity"),
    });
    expect(JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair))).toMatchObject({
      name: typed.name,
    });
    expect(journey.pageErrors()).toEqual([]);
  });
});
