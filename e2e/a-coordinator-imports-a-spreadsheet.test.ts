import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createKeyFile } from "../src/crypto/coalition-key.ts";
import { openSealed } from "../src/crypto/seal.ts";
import { matchKey } from "../src/domain/names.ts";
import { insertEndorsement } from "../test/endorsement-factory.ts";
import { workbookOf } from "../test/endorsement-xlsx.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { handTheKeyToThePage } from "./support/coalition-key.ts";
import { CHROMIUM, type SentRequest, useJourney } from "./support/journey.ts";
import { createOwnerThroughSetupLink } from "./support/owner.ts";
import { expectSelfContained } from "./support/reader.ts";

const owner = {
  name: "Daw Import Owner",
  email: "import.owner@example.org",
  password: "a passphrase for the import journey",
};
const PASSPHRASE = "a coalition passphrase for imports";

// Listed on the letter already (signed earlier through the form), and in the spreadsheet again, spelt
// otherwise: the preview says the letter has it.
const LISTED_EARLIER = "Org for Human Rights (Burma)";
const LISTED_AGAIN = "ORG FOR HUMAN RIGHTS, Burma";
// Undisclosed rows of the spreadsheet: the same organisation spelt differently, a pair of near-identical
// names, and a Burmese name. None of these names or addresses may reach the server in the clear.
const UNDISCLOSED = [
  { name: "Organisation for Human Rights – Myanmar", email: "ohr.secret@example.net" },
  { name: "Kachin Peace Women Network", email: "kpwn.secret@example.net" },
  { name: "Kachin Women Peace Network", email: "kwpn.secret@example.net" },
  { name: "ကရင် အမျိုးသမီး ကွန်ရက်", email: "karen.secret@example.net" },
];

describe.skipIf(!CHROMIUM.available)(`a coordinator imports a spreadsheet${CHROMIUM.note}`, () => {
  const journey = useJourney();

  it("maps an XLSX file's columns, previews its errors, imports it with undisclosed rows sealed in the browser, and merges an undisclosed duplicate there", async () => {
    const { keyPair, file } = await createKeyFile(PASSPHRASE, { now: new Date(), strength: "interactive" });
    const keyFile = path.join(journey.workDir(), "coalition-key.json");
    writeFileSync(keyFile, JSON.stringify(file));
    const { store } = journey.server();
    const { db } = store;
    const letter = await insertSignableLetter(db, { keyPair });
    await db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
    const earlier = await insertEndorsement(db, letter, keyPair.publicKey, {
      name: LISTED_EARLIER,
      state: "approved",
      at: "2026-01-02T08:00:00.000Z",
    });

    // A form export opened in Excel: timestamps as date cells, the form's own headers, one bad row.
    const header = [
      "Timestamp",
      "Organisation name",
      "Country",
      "Email address",
      "Show our name?",
      "Any comments?",
    ];
    const rows = [
      ["2026-01-05T09:00:00Z", "Athan Media", "Myanmar", "athan@example.org", "listed", "Count us in"],
      ["2026-01-05T09:30:00Z", LISTED_AGAIN, "MM", "ohr@example.org", "listed", ""],
      ...UNDISCLOSED.map((u, i) => [`2026-01-0${6 + i}T10:30:00Z`, u.name, "MM", u.email, "undisclosed", ""]),
      ["2026-01-11T11:00:00Z", "Atlantis Friends", "Atlantis", "atlantis@example.org", "listed", ""],
    ];
    const workbook = path.join(journey.workDir(), "responses.xlsx");
    writeFileSync(workbook, await workbookOf(header, rows, 0));

    await createOwnerThroughSetupLink(journey, owner);
    const page = journey.page();
    await page.goto(`${journey.baseUrl()}/admin/letters/${letter.id}/import`);
    // With script on, the page says the file stays here instead of warning that undisclosed rows need it.
    await expect(page.getByText("The file is read in this browser.").isVisible()).resolves.toBe(true);
    await expect(page.getByText("Files with undisclosed rows need JavaScript").isVisible()).resolves.toBe(
      false,
    );
    await page.getByLabel("File (CSV or XLSX)").setInputFiles(workbook);
    await page.getByRole("button", { name: "Read the file" }).click();

    // The columns, guessed from the form's headers; the coordinator checks them and sets one by hand.
    await page.locator("#import-browser").waitFor({ state: "visible" });
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("1");
    expect(await page.getByLabel("Signed at (date and time)").inputValue()).toBe("0");
    expect(await page.getByLabel("Visibility (listed or undisclosed)").inputValue()).toBe("4");
    expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("2");
    await page.getByLabel("Email", { exact: true }).selectOption({ label: "Column 4: Email address" });

    const summary = page.locator("[data-preview-summary]");
    expect(await summary.textContent()).toContain(
      "5 rows ready to import (4 undisclosed), 0 repeated in the file, 1 with a problem.",
    );
    expect(await page.locator("table.import-problems").textContent()).toContain(
      "Country “Atlantis” is neither an ISO code nor a country's English name.",
    );
    // The listed row the letter already has, asked about by its match key and marked apart from errors.
    const onLetter = page.locator("table.import-on-letter");
    await onLetter.waitFor();
    expect(await onLetter.textContent()).toContain(`${LISTED_AGAIN}already on the letter`);
    expect(await summary.textContent()).toContain("1 already on the letter.");
    // Unmapping the name column says what is missing and blocks the import.
    await page.getByLabel("Name", { exact: true }).selectOption("");
    expect(await page.getByRole("alert").textContent()).toContain("Choose the column that holds the name.");
    expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
    await page.getByLabel("Name", { exact: true }).selectOption("1");

    await page.getByLabel("Approved: counted at once").check();
    await page.getByLabel("Where these endorsements come from").fill("partner network form, January");
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.waitForURL("**/import/rows");
    expect(await page.locator("[data-import-summary]").textContent()).toBe(
      "Imported 5, duplicates 1, rejected 1.",
    );
    expect(await page.locator("table.import-problems").textContent()).toContain("Country “Atlantis”");

    const stored = await db
      .selectFrom("signatures")
      .selectAll()
      .where("letter_id", "=", letter.id)
      .where("source", "=", "import")
      .orderBy("id")
      .execute();
    const listed = stored.filter((s) => s.visibility === "listed");
    const sealed = stored.filter((s) => s.visibility === "undisclosed");
    expect(listed.map((s) => [s.display_name, s.state])).toEqual([["Athan Media", "approved"]]);
    expect(sealed.map((s) => [s.display_name, s.state])).toEqual(UNDISCLOSED.map(() => [null, "approved"]));
    // Imported rows are numbered in no particular order (the sheet's order is the order people signed):
    // sealed in the browser, opened here with the private key, their names say which is which.
    const byName = new Map(
      await Promise.all(
        sealed.map(
          async (s) => [JSON.parse(await openSealed(s.sealed_identity!, keyPair)).name as string, s] as const,
        ),
      ),
    );
    expect([...byName.keys()].sort()).toEqual(UNDISCLOSED.map((u) => u.name).sort());
    const first = byName.get(UNDISCLOSED[0]!.name)!;
    // The sheet says 10:30; an organisation's moment is kept to the day only.
    expect(first.confirmed_at).toBe("2026-01-06T00:00:00.000Z");
    expect(JSON.parse(await openSealed(first.sealed_contact!, keyPair))).toMatchObject({
      email: UNDISCLOSED[0]!.email,
    });

    // The duplicates page compares the undisclosed endorsements once the key is loaded in the page.
    await page.goto(`${journey.baseUrl()}/admin/letters/${letter.id}/duplicates`);
    await handTheKeyToThePage(page, keyFile, PASSPHRASE);
    const pairs = page.locator("[data-undisclosed-pair]");
    await pairs.first().waitFor({ timeout: 60_000 });
    expect(await pairs.count()).toBe(2);
    const texts = await pairs.allTextContents();
    const ohr = texts.findIndex((text) => text.includes(LISTED_EARLIER));
    expect(texts[ohr]).toContain(UNDISCLOSED[0]!.name);
    const kachin = pairs.filter({ hasText: "Kachin Peace Women Network" });
    expect(await kachin.textContent()).toContain("Kachin Women Peace Network");
    await kachin.getByRole("button", { name: "Merge these two" }).click();
    await page.waitForURL("**/duplicates?merged=1");
    // The merge keeps the one signed first (7 January, the other on the 8th).
    const [kept, merged] = [byName.get(UNDISCLOSED[1]!.name)!, byName.get(UNDISCLOSED[2]!.name)!];
    const after = await db
      .selectFrom("signatures")
      .select(["id", "state", "merged_into_id"])
      .where("id", "in", [kept.id, merged.id, earlier])
      .orderBy("id")
      .execute();
    expect(after).toEqual(
      [
        { id: earlier, state: "approved", merged_into_id: null },
        { id: kept.id, state: "approved", merged_into_id: null },
        { id: merged.id, state: "merged", merged_into_id: kept.id },
      ].sort((a, b) => a.id - b.id),
    );

    // Every request the browser made: the spreadsheet itself never left it, nor any undisclosed row's
    // name or address in any spelling; the listed row did, as it is public.
    const requests = await journey.sentRequests();
    const posts = requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => new URL(r.url).pathname)).toContain(`/admin/letters/${letter.id}/import/rows`);
    expect(posts.map((r) => new URL(r.url).pathname)).not.toContain(`/admin/letters/${letter.id}/import`);
    const imported = posts.find((r) => r.url.endsWith("/import/rows"))!;
    expect(decodeURIComponent(imported.postData!.toString("latin1").replace(/\+/g, " "))).toContain(
      "Athan Media",
    );
    // The preview asked about the listed rows' match keys only.
    const asked = posts.filter((r) => r.url.endsWith("/import/on-letter"));
    expect(asked.map((r) => JSON.parse(r.postData!.toString()))).toEqual([
      { keys: [matchKey("Athan Media"), matchKey(LISTED_AGAIN)], keyed: [] },
    ]);
    const secrets = UNDISCLOSED.flatMap((u) => [u.name, u.email, matchKey(u.name)]);
    expectNoneCarries(requests, spellings(secrets, [keyPair.privateKey, PASSPHRASE]));
    expectSelfContained(journey);
  }, 180_000);
});

/** Each secret as text, URL-encoded (form posts), JSON-escaped, and the private key's other encodings. */
function spellings(secrets: string[], keys: string[]): { text: string[]; bytes: Buffer[] } {
  const raw = Buffer.from(keys[0]!, "base64");
  const text = [...secrets, ...keys, raw.toString("hex"), raw.toString("base64url")].flatMap((form) => [
    form,
    encodeURIComponent(form),
    new URLSearchParams({ v: form }).toString().slice(2),
    JSON.stringify(form).slice(1, -1),
    JSON.stringify(form)
      .slice(1, -1)
      .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
  ]);
  return { text: [...new Set(text)], bytes: [raw, ...text.map((form) => Buffer.from(form))] };
}

function expectNoneCarries(requests: SentRequest[], secrets: { text: string[]; bytes: Buffer[] }): void {
  for (const request of requests) {
    const visible = [request.url, ...Object.entries(request.headers).flat()].join("\n");
    for (const secret of secrets.text) expect(visible.includes(secret), request.url).toBe(false);
    const bytes = Buffer.concat([Buffer.from(visible, "latin1"), request.postData ?? Buffer.alloc(0)]);
    for (const secret of secrets.bytes)
      expect(bytes.includes(secret), `${request.url}: ${secret.toString()}`).toBe(false);
  }
}
