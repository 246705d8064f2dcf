import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { approveSignature } from "../src/commands/approve-signature.ts";
import { createKeyFile } from "../src/crypto/coalition-key.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { openTheKeyInThisBrowser } from "./support/coalition-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink, turnOnTotp } from "./support/owner.ts";
import { expectSelfContained } from "./support/reader.ts";
import { expectNoneCarries, secretForms } from "./support/secrets.ts";
import {
  confirmationLinkFromMailbox,
  endorseAndConfirm,
  publicCounts,
  takeLongerThanAProgram,
} from "./support/sign-on.ts";

const owner = {
  name: "Daw Listing Owner",
  email: "listing.owner@example.org",
  password: "a passphrase for the listing journey",
};
const PASSPHRASE = "safety in numbers, the coalition's own";
// "Rangoon Teachers' Union" in Burmese: undisclosed until three others are listed.
const NAME = "ရန်ကုန် ဆရာများ သမဂ္ဂ";
const CONTACT_EMAIL = "teachers.union@example.net";
const LISTED = ["Open Bamboo Network", "Delta Relief Circle", "Chin Defenders Collective"];

describe.skipIf(!CHROMIUM.available)(
  `an organisation is listed once three others are${CHROMIUM.note}`,
  () => {
    const journey = useJourney();

    it("signs in Burmese without JavaScript, waits, and is listed by a coordinator who opens it in the browser", async () => {
      const { keyPair, file } = await createKeyFile(PASSPHRASE, { now: new Date(), strength: "interactive" });
      const keyFile = path.join(journey.workDir(), "coalition-key.json");
      writeFileSync(keyFile, JSON.stringify(file, null, 2));
      const { store } = journey.server();
      const letter = await insertSignableLetter(store.db, { moderation: true, keyPair });
      const base = journey.baseUrl();
      const api = () => publicCounts(journey, letter.slug);

      // The organisation signs in Burmese, JavaScript off: "list our name once at least 3 others are listed".
      const signer = await journey.newContext({ javaScriptEnabled: false, locale: "my-MM" });
      const page = await signer.newPage();
      await page.goto(`${base}/letters/${letter.slug}/sign?lang=my`);
      await page.getByLabel("အဖွဲ့အစည်းအမည်").fill(NAME);
      await page.getByLabel("နိုင်ငံ").selectOption("MM");
      await page.getByLabel("အီးမေးလ်လိပ်စာ").fill(CONTACT_EMAIL);
      await page.getByRole("radio", { name: /အခြားသူများ ဖော်ပြပြီးမှ/ }).check();
      await page.getByLabel(/ဤအရေအတွက်/).fill("3");
      await page.getByRole("checkbox", { name: /ထောက်ခံပိုင်ခွင့် ရှိကြောင်း/ }).check();
      await takeLongerThanAProgram(page);
      await page.getByRole("button", { name: "ပေးစာကို ထောက်ခံမည်" }).click();
      await page.waitForURL(`**/letters/${letter.slug}/sign/sent`);
      const link = await confirmationLinkFromMailbox(journey, "သင့်ထောက်ခံချက်ကို အတည်ပြုပါ");
      await page.goto(link);
      await page.getByRole("button", { name: "ကျွန်ုပ်၏ ထောက်ခံချက်ကို အတည်ပြုမည်" }).click();
      await page.getByRole("heading", { name: "သင့်ထောက်ခံချက်ကို အတည်ပြုပြီးပါပြီ" }).waitFor();
      expect(await page.locator("main").textContent()).toContain("စောင့်ဆိုင်းနေဆဲ");
      const row = await store.db
        .selectFrom("signatures")
        .select(["visibility", "display_name", "disclose_threshold"])
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ visibility: "undisclosed", display_name: null, disclose_threshold: 3 });

      // Three listed endorsements come in and are approved.
      for (const [i, name] of LISTED.entries())
        await endorseAndConfirm(journey, letter.slug, {
          kind: "organisation",
          visibility: "listed",
          name,
          country: "MM",
          email: `listed${i}@example.net`,
        });
      const listedIds = await store.db
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .where("visibility", "=", "listed")
        .execute();
      for (const { id } of listedIds)
        await approveSignature({ store }, { actor: "cli", signatureId: id }, new Date());
      expect(await api()).toMatchObject({ total: 3, listed: 3, undisclosed: 0 });

      // The coordinator sees one condition met, opens it with the key in the browser and lists it.
      await createOwnerThroughSetupLink(journey, owner);
      await turnOnTotp(journey);
      const console = journey.page();
      await console.goto(`${base}/admin/letters/${letter.id}/listing`);
      expect(await console.locator("[data-listing-counts]").textContent()).toBe(
        "0 waiting, 1 with their condition met.",
      );
      expect(await console.locator("table[data-listing]").textContent()).not.toContain(NAME);
      await openTheKeyInThisBrowser(console, keyFile, PASSPHRASE);
      const opened = console.locator("table[data-listing] tr", { hasText: NAME });
      await opened.getByRole("checkbox").check();
      await console.getByRole("button", { name: "List these names" }).click();
      await console.waitForURL("**/listing?listed=1&held=0&waiting=0");
      expect(await console.getByRole("status").first().textContent()).toContain("1 listed.");

      // The public list and counts change; the signer's receipt says since when.
      expect(await api()).toMatchObject({ total: 4, listed: 4, undisclosed: 0 });
      const list = await (await fetch(`${base}/letters/${letter.slug}/signatories.csv`)).text();
      expect(list).toContain(NAME);
      await page.goto(link);
      expect(await page.locator("main").textContent()).toContain("မှစ၍ အမည်ဖော်ပြထားသည်");

      // What left the coordinator's browser: the public fields only, never the key, nor the sealed contact.
      const requests = await journey.sentRequests();
      const listing = requests.find(
        (r) => r.method === "POST" && r.url.endsWith(`/letters/${letter.id}/listing`),
      );
      const posted = new URLSearchParams(listing?.postData?.toString() ?? "");
      expect([...posted.keys()].sort()).toEqual(
        ["_csrf", `country_${posted.get("id")}`, "id", `name_${posted.get("id")}`].sort(),
      );
      expect(posted.get(`name_${posted.get("id")}`)).toBe(NAME);
      // (The signer's own form carried its address, as the confirmation mail needs; the console never does.)
      for (const r of requests.filter((each) => each.url.includes("/admin/")))
        expect(r.postData?.toString() ?? "").not.toContain(CONTACT_EMAIL.split("@")[0]);
      expectNoneCarries(requests, secretForms(keyPair.privateKey, readFileSync(keyFile, "utf8"), PASSPHRASE));
      await signer.close();
      expectSelfContained(journey);
    }, 240_000);
  },
);
