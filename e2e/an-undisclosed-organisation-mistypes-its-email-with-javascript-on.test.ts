import { describe, expect, it } from "vitest";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { signatureOf } from "../test/signature-rows.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { expectSealedAsTyped, fillInTheOrganisation } from "./support/sealed-identity.ts";
import { expectNoneCarries } from "./support/secrets.ts";
import { takeLongerThanAProgram } from "./support/sign-on.ts";

const typed = {
  name: "Thanlwin Mothers Circle",
  nameAlt: "သံလွင် မိခင်များ အသိုင်းအဝိုင်း",
  website: "thanlwin-mothers.example.org",
  contact: "Daw Journey Khin",
};

/** Each identity value as typed, URL-encoded and form-encoded, as text and as bytes. */
function identityForms(): { text: string[]; bytes: Buffer[] } {
  const text = Object.values(typed).flatMap((value) => [
    value,
    value.normalize("NFD"),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
  ]);
  return { text: [...new Set(text)], bytes: text.map((form) => Buffer.from(form)) };
}

describe.skipIf(!CHROMIUM.available)(
  `an undisclosed organisation mistypes its email with JavaScript on${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("never sends its identity in the clear: problems are shown in the page, and a refusal loses nothing typed", async () => {
      const { store } = journey.server();
      const letter = await insertSignableLetter(store.db, { moderation: true });
      const page = journey.page();
      const posts = () =>
        journey.sentRequests().then((all) => all.filter((request) => request.method === "POST"));

      await page.goto(`${journey.baseUrl()}/letters/${letter.slug}/sign`);
      await fillInTheOrganisation(page, typed);
      // A typo (no top-level domain), and the consent box forgotten.
      await page.getByLabel("Email address").fill("mothers.circle@example");
      await page.getByRole("radio", { name: /Undisclosed/ }).check();
      await takeLongerThanAProgram(page);
      await page.getByRole("button", { name: "Endorse the letter" }).click();

      // The page says what is wrong, in its language, and nothing was sent; what was typed is still there.
      // An error summary in the GOV.UK pattern takes the focus: a heading, then one link per problem, in the
      // form's order, each to its field; the title starts with "Error:".
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      expect(await page.evaluate(() => document.activeElement?.classList.contains("error-summary"))).toBe(
        true,
      );
      expect(
        await page
          .locator(".error-summary li a")
          .evaluateAll((links) => links.map((a) => a.getAttribute("href"))),
      ).toEqual(["#field-email", "#field-consent"]);
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator("#field-email-client-error").textContent()).toBe(
        "Enter an email address like name@example.org.",
      );
      expect(await page.locator("#field-consent-client-error").count()).toBe(1);
      expect(await posts()).toEqual([]);
      expect(await page.getByLabel("Name of the organisation").inputValue()).toBe(typed.name);

      // Corrected into an address the browser accepts and the server does not (two dots in a row): the
      // server refuses it, having received the identity and the contact only sealed, and the page shows its
      // message while everything typed stays in the fields.
      await page.getByLabel("Email address").fill("mothers..circle@example.org");
      await page.getByRole("checkbox", { name: /I am entitled to endorse/ }).check();
      await page.getByRole("button", { name: "Endorse the letter" }).click();
      await page.locator("#field-email-error").waitFor();
      expect(await page.locator("#field-email-error").textContent()).toBe(
        "Enter an email address like name@example.org.",
      );
      expect(await page.getByLabel("Name of the organisation").inputValue()).toBe(typed.name);
      expect(await page.getByLabel("Name in another script").inputValue()).toBe(typed.nameAlt);
      expect(await page.getByLabel("Contact person").inputValue()).toBe(typed.contact);
      expect(await page.getByLabel("Country").inputValue()).toBe("TH");
      const refused = await posts();
      expect(refused).toHaveLength(1);
      const firstBody = new URLSearchParams(refused[0]!.postData!.toString());
      expect(firstBody.get("sealed_identity")).toMatch(/^[A-Za-z0-9+/]{60,}={0,2}$/);
      expect(
        await store.db.selectFrom("signatures").select("id").where("letter_id", "=", letter.id).execute(),
      ).toEqual([]);

      // Corrected again and sent: stored, sealed as typed.
      await page.getByLabel("Email address").fill("mothers.circle@example.org");
      await page.getByRole("button", { name: "Endorse the letter" }).click();
      await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);
      const row = await signatureOf(store.db, letter.id);
      expect(row).toMatchObject({
        visibility: "undisclosed",
        display_name: null,
        website: null,
        country: null,
      });
      await expectSealedAsTyped(row, letter.keyPair, typed, "mothers.circle@example.org");

      // Every request the browser made, in every spelling of every identity value: none carries one.
      const sent = await journey.sentRequests();
      expect(await posts()).toHaveLength(2);
      expectNoneCarries(sent, identityForms());
      expect(journey.foreignRequests()).toEqual([]);
      // The browser reports the server's refusal (400) of the fetch; nothing else went wrong.
      expect(journey.pageErrors()).toEqual([
        expect.stringMatching(/status of 400 \(Bad Request\) .*\/letters\/[^/]+\/sign$/),
      ]);
    });
  },
);
