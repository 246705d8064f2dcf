import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createKeyFile } from "../src/crypto/coalition-key.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { openTheKeyInThisBrowser } from "./support/coalition-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink, turnOnTotp } from "./support/owner.ts";
import { expectSelfContained } from "./support/reader.ts";
import { screenshotWithFonts } from "./support/screenshot.ts";
import { expectNoneCarries, secretForms } from "./support/secrets.ts";
import { endorseAndConfirm, publicCounts } from "./support/sign-on.ts";

const owner = {
  name: "Daw Review Owner",
  email: "review.owner@example.org",
  password: "a passphrase for the review journey",
};
const PASSPHRASE = "correct horse staple: the coalition's own";

// "Karen Women's Network" in Burmese: undisclosed, so only the opened row in the browser may show it.
const BURMESE_UNDISCLOSED = "ကရင် အမျိုးသမီး ကွန်ရက်";
const UNDISCLOSED = [BURMESE_UNDISCLOSED, "Chin Defenders Collective", "Delta Relief Circle"];
// The same network signed twice: once in Unicode, once typed in Zawgyi as "Myanmar (the country) Human
// Rights Network". The Zawgyi one is converted at signing; the two differ by one word, so the match keys
// differ (both confirm) and the fuzzy score suggests them as a pair.
const UNICODE_NETWORK = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";
const ZAWGYI_NETWORK = "ျမန္မာႏိုင္ငံ လူ႔အခြင့္အေရး ကြန္ရက္";
const MISSPELT = "Asia Justise Coalition";
const CORRECTED = "Asia Justice Coalition";

describe.skipIf(!CHROMIUM.available)(
  `a coordinator reviews sealed endorsements in the browser${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("loads the key file in the page, opens and approves undisclosed endorsements, merges and corrects, and nothing secret leaves the browser", async () => {
      // The coalition key, made as `undersigned keygen` makes it (argon2id "moderate": 256 MiB), kept in a
      // file on the coordinator's machine; the campaign gets its public key.
      const { keyPair, file } = await createKeyFile(PASSPHRASE, { now: new Date() });
      const keyFile = path.join(journey.workDir(), "coalition-key.json");
      writeFileSync(keyFile, JSON.stringify(file, null, 2));
      const { store } = journey.server();
      const letter = await insertSignableLetter(store.db, { moderation: true, keyPair });

      for (const [i, name] of UNDISCLOSED.entries()) {
        await endorseAndConfirm(journey, letter.slug, {
          kind: "organisation",
          visibility: "undisclosed",
          name,
          country: "MM",
          contact_person: `Contact ${i}`,
          email: `undisclosed${i}@example.net`,
        });
      }
      for (const [i, name] of [UNICODE_NETWORK, ZAWGYI_NETWORK, MISSPELT].entries()) {
        await endorseAndConfirm(journey, letter.slug, {
          kind: "organisation",
          visibility: "listed",
          name,
          category: "Myanmar",
          country: "MM",
          email: `listed${i}@example.net`,
        });
      }
      const api = () => publicCounts(journey, letter.slug);
      expect(await api()).toMatchObject({ total: 0, listed: 0, undisclosed: 0 });

      await createOwnerThroughSetupLink(journey, owner);
      await turnOnTotp(journey);
      const page = journey.page();
      const review = `${journey.baseUrl()}/admin/letters/${letter.id}/review`;
      await page.goto(review);
      const sealedRows = page.locator("tr[data-sealed-identity]");
      await expect(sealedRows.count()).resolves.toBe(3);
      expect(await page.locator("table.review-queue").textContent()).not.toContain(BURMESE_UNDISCLOSED);

      // The key file and passphrase go into the page; argon2id over 256 MiB in WebAssembly takes seconds.
      await openTheKeyInThisBrowser(page, keyFile, PASSPHRASE);
      expect(await page.getByLabel("Passphrase").inputValue()).toBe("");
      const opened = (await page.locator("table.review-queue").textContent()) ?? "";
      for (const name of UNDISCLOSED) expect(opened).toContain(name);
      expect(opened).toContain("undisclosed0@example.net");
      // Opened rows name the country in the page's language, as listed rows do, not by its code.
      const details = await page.locator('table.review-queue [data-opened="details"]').allTextContents();
      expect(details.filter((d) => d.includes("Myanmar")).length).toBeGreaterThanOrEqual(UNDISCLOSED.length);
      expect(details.filter((d) => /\bMM\b/.test(d))).toEqual([]);
      await screenshotWithFonts(page, "docs/screenshots/console-review-queue.png");

      // Approve the undisclosed ones: the form posts their ids only (the opened names live in table cells).
      for (const name of UNDISCLOSED) {
        await sealedRows.filter({ hasText: name }).getByRole("checkbox").check();
      }
      await page.getByRole("button", { name: "Approve selected" }).click();
      await page.waitForURL("**/review?done=approve&changed=3&skipped=0");
      expect(await api()).toMatchObject({ total: 3, listed: 0, undisclosed: 3 });
      // Leaving the page dropped the key: the new page shows the rows that remain, sealed contacts and all.
      expect(await page.locator("tr[data-sealed-identity]").count()).toBe(0);

      // The misspelt name is corrected before approval publishes it.
      await page.getByRole("row", { name: MISSPELT }).getByRole("link", { name: "Correct" }).click();
      await page.getByLabel("Name").fill(CORRECTED);
      await page.getByRole("button", { name: "Save the correction" }).click();
      await page.waitForURL("**/duplicates?corrected=1");
      expect(await page.locator(".notice[role=status]").textContent()).toContain(
        "The correction has been saved.",
      );

      // The listed ones are approved, then the Zawgyi/Unicode pair merged: the later one stops counting.
      await page.goto(review);
      for (const box of await page.getByRole("checkbox").all()) await box.check();
      await page.getByRole("button", { name: "Approve selected" }).click();
      await page.waitForURL("**/review?done=approve&changed=3&skipped=0");
      expect(await api()).toMatchObject({ total: 6, listed: 3, undisclosed: 3 });
      await page.goto(`${journey.baseUrl()}/admin/letters/${letter.id}/duplicates`);
      const pair = page.locator("section.duplicate-pair");
      await expect(pair.count()).resolves.toBe(1);
      expect(await pair.textContent()).toContain(UNICODE_NETWORK);
      expect(await pair.textContent()).toContain("မြန်မာနိုင်ငံ လူ့အခွင့်အရေး ကွန်ရက်");
      await pair.getByRole("button", { name: "Merge these two" }).click();
      await page.waitForURL("**/duplicates?merged=1");
      expect(await api()).toMatchObject({ total: 5, listed: 2, undisclosed: 3 });
      const list = await (await fetch(`${journey.baseUrl()}/letters/${letter.slug}/signatories.csv`)).text();
      expect(list).toContain(CORRECTED);
      expect(list).not.toContain(MISSPELT);
      expect(list).not.toContain(BURMESE_UNDISCLOSED);

      // Nothing that opens the sealed records ever left the browser.
      const requests = await journey.sentRequests();
      expect(requests.some((r) => r.method === "POST")).toBe(true);
      // libsodium-sumo came from the allow-listed route on our origin (the CSP would refuse it elsewhere).
      expect(requests.map((r) => new URL(r.url).pathname)).toContain("/admin/assets/libsodium-sumo.js");
      const fileText = readFileSync(keyFile, "utf8");
      expectNoneCarries(requests, secretForms(keyPair.privateKey, fileText, PASSPHRASE));
      expectSelfContained(journey);
    }, 240_000);
  },
);
