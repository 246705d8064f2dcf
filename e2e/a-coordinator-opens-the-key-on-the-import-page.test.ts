import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createKeyFile } from "../src/crypto/coalition-key.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { openTheKeyInThisBrowser } from "./support/coalition-key.ts";
import { CHROMIUM, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink, turnOnTotp } from "./support/owner.ts";

const owner = {
  name: "Daw Import Owner",
  email: "import.owner@example.org",
  password: "a passphrase for the import key journey",
};
const PASSPHRASE = "the coalition's key, opened for an import";

/*
 * The import page opens the coalition key to make keyed match keys for undisclosed rows. It once never
 * finished: the page's security policy refused libsodium's WebAssembly, and the status stayed at
 * "Opening the key…". This journey opens the key there as a coordinator would.
 */
describe.skipIf(!CHROMIUM.available)(`a coordinator opens the key on the import page${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("loads the key file in the import page and says so", async () => {
    const { keyPair, file } = await createKeyFile(PASSPHRASE, { now: new Date() });
    const keyFile = path.join(journey.workDir(), "coalition-key.json");
    writeFileSync(keyFile, JSON.stringify(file, null, 2));
    const letter = await insertSignableLetter(journey.server().store.db, { keyPair });

    await createOwnerThroughSetupLink(journey, owner);
    await turnOnTotp(journey);
    const page = journey.page();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|WebAssembly/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${journey.baseUrl()}/admin/letters/${letter.id}/import`);
    await openTheKeyInThisBrowser(page, keyFile, PASSPHRASE);
    expect(await page.getByLabel("Passphrase").inputValue()).toBe("");
    expect(refused).toEqual([]);
  });
});
