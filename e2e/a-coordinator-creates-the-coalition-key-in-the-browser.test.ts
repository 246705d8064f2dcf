import path from "node:path";
import { describe, expect, it } from "vitest";
import { openKeyFile, parseKeyFile } from "../src/crypto/coalition-key.ts";
import { keyFingerprint } from "../src/crypto/key-fingerprint.ts";
import { insertUser } from "../test/accounts.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { openTheKeyInThisBrowser } from "./support/coalition-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { makeTheKeyInThisBrowser } from "./support/key-maker.ts";
import { expectSelfContained } from "./support/reader.ts";
import { expectNoneCarries, secretForms } from "./support/secrets.ts";
import { endorseAndConfirm } from "./support/sign-on.ts";

// Typed in Burmese and Latin, as a coordinator might: it must survive the trip through the page unchanged.
const PASSPHRASE = "ရန်ကုန် lantern copper meadow";
const UNDISCLOSED = "Kachin Women Undisclosed Circle";

describe.skipIf(!CHROMIUM.available)(
  `a coordinator creates the coalition key in the browser${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("makes the key file in the page, downloads it, proposes only the public key, a second coordinator confirms it, and it opens a sealed endorsement", async () => {
      const { store } = journey.server();
      // A campaign whose coordinator has no shell on the server: its letter takes endorsements once it has a key.
      const letter = await insertSignableLetter(store.db, { moderation: true });
      await store.db
        .updateTable("campaigns")
        .set({ public_key: null })
        .where("id", "=", letter.campaignId)
        .execute();
      const { slug } = await store.db
        .selectFrom("campaigns")
        .select("slug")
        .where("id", "=", letter.campaignId)
        .executeTakeFirstOrThrow();
      const coordinator = await insertUser(store, { role: "coordinator", campaigns: [letter.campaignId] });

      const page = journey.page();
      const base = journey.baseUrl();
      await page.goto(`${base}/admin/login`);
      await page.getByLabel("Email address").fill(coordinator.email);
      await page.getByLabel("Password").fill(coordinator.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${base}/admin`);

      await page.goto(`${base}/admin/campaigns/${slug}`);
      await page.getByRole("link", { name: "Coalition key" }).click();
      await page.waitForURL(`${base}/admin/campaigns/${slug}/key`);
      expect(await page.locator("main").textContent()).toContain("This campaign has no coalition key yet");

      // Too short, then two that differ: told in the page, nothing made.
      await page.getByLabel("Passphrase for the key file").fill("too short");
      expect(await page.locator("[data-strength]").textContent()).toContain("weak");
      await page.getByRole("button", { name: "Make the key" }).click();
      expect(await page.locator("[data-maker-status]").textContent()).toBe(
        "The passphrase must have at least 12 characters.",
      );
      await page.getByLabel("Passphrase for the key file").fill(PASSPHRASE);
      expect(await page.locator("[data-strength]").textContent()).toContain("good");
      await page.getByLabel("The same passphrase again").fill(`${PASSPHRASE}!`);
      await page.getByRole("button", { name: "Make the key" }).click();
      expect(await page.locator("[data-maker-status]").textContent()).toBe("The two passphrases differ.");

      // argon2id "moderate" (256 MiB) in WebAssembly takes a few seconds.
      const made = await makeTheKeyInThisBrowser(journey, page, PASSPHRASE);
      const { keyFile, fileText, fingerprint: shownFingerprint } = made;
      expect(path.basename(keyFile)).toBe(`coalition-key-${slug}.json`);
      const file = parseKeyFile(fileText);
      expect(file).toMatchObject({ campaign: slug, kdf: { opslimit: 3, memlimit: 256 * 1024 * 1024 } });
      expect(keyFingerprint(file.publicKey)).toBe(shownFingerprint);
      // The file opens with the CLI's code and the passphrase.
      const keyPair = await openKeyFile(fileText, PASSPHRASE);

      // A coordinator proposes; the key takes effect when a second coordinator confirms its fingerprint.
      await page.getByRole("button", { name: "Propose this key for the campaign" }).click();
      await page.waitForURL(`${base}/admin/campaigns/${slug}/key?notice=proposed`);
      const waiting = (await page.locator("main").textContent()) ?? "";
      expect(waiting).toContain("The key is proposed.");
      expect(waiting).toContain("You proposed this key, so someone else confirms it");
      expect(await page.locator("code.proposed-fingerprint").textContent()).toBe(shownFingerprint);
      expect(
        (
          await store.db
            .selectFrom("campaigns")
            .select("public_key")
            .where("id", "=", letter.campaignId)
            .executeTakeFirstOrThrow()
        ).public_key,
      ).toBeNull();

      const second = await insertUser(store, { role: "coordinator", campaigns: [letter.campaignId] });
      const colleague = await (await journey.newContext({ locale: "en-GB" })).newPage();
      await colleague.goto(`${base}/admin/login`);
      await colleague.getByLabel("Email address").fill(second.email);
      await colleague.getByLabel("Password").fill(second.password);
      await colleague.getByRole("button", { name: "Sign in" }).click();
      await colleague.waitForURL(`${base}/admin`);
      await colleague.goto(`${base}/admin/campaigns/${slug}/key`);
      // The colleague compares the fingerprint with the one the proposer told them, then confirms.
      expect(await colleague.locator("code.proposed-fingerprint").textContent()).toBe(shownFingerprint);
      await colleague.getByRole("button", { name: "The fingerprints match: confirm this key" }).click();
      await colleague.waitForURL(`${base}/admin/campaigns/${slug}/key?notice=saved`);
      const state = (await colleague.locator("main").textContent()) ?? "";
      expect(state).toContain("The coalition key has been set.");
      expect(state).toContain("A campaign keeps its key");
      expect(await colleague.locator("code.fingerprint").textContent()).toBe(shownFingerprint);
      const campaign = await store.db
        .selectFrom("campaigns")
        .select(["public_key", "demo_key"])
        .where("id", "=", letter.campaignId)
        .executeTakeFirstOrThrow();
      expect(campaign).toEqual({ public_key: keyPair.publicKey, demo_key: 0 });

      // An undisclosed endorsement is sealed to the new key and opened on the review page with the file.
      await endorseAndConfirm(journey, letter.slug, {
        kind: "organisation",
        visibility: "undisclosed",
        name: UNDISCLOSED,
        country: "MM",
        contact_person: "Daw Contact",
        email: "undisclosed@example.net",
      });
      await page.goto(`${base}/admin/letters/${letter.id}/review`);
      expect(await page.locator("table.review-queue").textContent()).not.toContain(UNDISCLOSED);
      await openTheKeyInThisBrowser(page, keyFile, PASSPHRASE);
      const opened = (await page.locator("table.review-queue").textContent()) ?? "";
      expect(opened).toContain(UNDISCLOSED);
      expect(opened).toContain("undisclosed@example.net");

      // Neither the private key (base64, hex), the key file nor the passphrase ever left the browser; the
      // public key did, once.
      const requests = await journey.sentRequests();
      const posts = requests.filter((r) => r.method === "POST");
      expect(
        posts.filter((r) => r.postData?.toString().includes(encodeURIComponent(keyPair.publicKey))),
      ).toHaveLength(1);
      expectNoneCarries(requests, secretForms(keyPair.privateKey, fileText, PASSPHRASE));
      expectNoneCarries(requests, secretForms(keyPair.privateKey, fileText, PASSPHRASE.normalize("NFD")));
      expectSelfContained(journey);
    }, 300_000);
  },
);
