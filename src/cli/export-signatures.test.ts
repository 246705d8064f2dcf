import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { getAs, signInToCampaign } from "../../test/console-session.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { keyCommandRun } from "../../test/key-command.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { createKeyFile } from "../crypto/coalition-key.ts";
import { generateKeyPair } from "../crypto/seal.ts";
import { exportSignatures, exportSignaturesCommand } from "./export-signatures.ts";

const PASSPHRASE = "a long enough passphrase";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`exporting signatures on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    async function letterWithEndorsements() {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, key, {
        name: 'Athan, "Freedom" Media',
        state: "approved",
        category: "Myanmar",
        country: "MM",
        email: "athan@example.org",
        at: "2026-02-01T00:00:00.000Z",
      });
      await insertEndorsement(db, letter, key, {
        name: "မြန်မာ့အမျိုးသမီးအဖွဲ့",
        visibility: "undisclosed",
        state: "approved",
        category: "Myanmar",
        country: "TH",
        email: "hidden@example.org",
        at: "2026-02-02T00:00:00.000Z",
      });
      await insertEndorsement(db, letter, key, { name: "Not Yet Approved", state: "confirmed" });
      return letter;
    }

    it("opens undisclosed rows with the key and writes the full list as CSV and JSON", async () => {
      const letter = await letterWithEndorsements();
      const json = await exportSignatures(store.current(), {
        letterSlug: letter.slug,
        keyPair: letter.keyPair,
        format: "json",
      });
      if (typeof json === "string") throw new Error(json);
      expect(json.count).toBe(2);
      expect(JSON.parse(json.text)).toEqual([
        {
          name: 'Athan, "Freedom" Media',
          name_alt: null,
          kind: "organisation",
          category: "Myanmar",
          country: "MM",
          website: null,
          contact: null,
          email: "athan@example.org",
          visibility: "listed",
          signed_at: "2026-02-01T00:00:00.000Z",
        },
        {
          name: "မြန်မာ့အမျိုးသမီးအဖွဲ့",
          name_alt: null,
          kind: "organisation",
          category: "Myanmar",
          country: "TH",
          website: null,
          contact: null,
          email: "hidden@example.org",
          visibility: "undisclosed",
          signed_at: "2026-02-02T00:00:00.000Z",
        },
      ]);
      const csv = await exportSignatures(store.current(), {
        letterSlug: letter.slug,
        keyPair: letter.keyPair,
        format: "csv",
      });
      if (typeof csv === "string") throw new Error(csv);
      expect(
        csv.text.startsWith(
          "\uFEFFname,name_alt,kind,category,country,website,contact,email,visibility,signed_at\r\n",
        ),
      ).toBe(true);
      expect(csv.text).toContain('"Athan, ""Freedom"" Media"');
      expect(csv.text).toContain("မြန်မာ့အမျိုးသမီးအဖွဲ့,,organisation,Myanmar,TH");
    });

    it("refuses a key that is not the campaign's", async () => {
      const letter = await letterWithEndorsements();
      const result = await exportSignatures(store.current(), {
        letterSlug: letter.slug,
        keyPair: await generateKeyPair(),
        format: "csv",
      });
      expect(result).toBe("this key file is not the key of the letter's campaign");
    });

    it("gives the console only the public list: listed, approved, no contact", async () => {
      const letter = await letterWithEndorsements();
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const cookie = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      const json = await getAs(app, `/admin/letters/${letter.id}/export/public.json`, cookie);
      expect(json.statusCode).toBe(200);
      expect(JSON.parse(json.body).map((r: { name: string }) => r.name)).toEqual(['Athan, "Freedom" Media']);
      expect(json.body).not.toContain("athan@example.org");
      const csv = await getAs(app, `/admin/letters/${letter.id}/export/public.csv`, cookie);
      expect(csv.headers["content-type"]).toContain("text/csv");
      expect(csv.body).not.toContain("undisclosed");
      await app.close();
    });
  });
}

describe("undersigned export signatures (command line)", () => {
  const store = useStore("sqlite");

  it("reads the passphrase from a file, opens the key file and prints the list", async () => {
    const { db } = store.current();
    const { keyPair, file } = await createKeyFile(PASSPHRASE, { now: new Date(), strength: "interactive" });
    const letter = await insertSignableLetter(db);
    await db
      .updateTable("campaigns")
      .set({ public_key: keyPair.publicKey })
      .where("id", "=", letter.campaignId)
      .execute();
    await insertEndorsement(db, { id: letter.id, versionId: letter.versionId }, keyPair.publicKey, {
      name: "Quiet Union",
      visibility: "undisclosed",
      state: "approved",
    });
    const { keyFile, passFile, io, printed } = keyCommandRun(store.dataDir(), file, PASSPHRASE);
    const code = await exportSignaturesCommand(
      ["--letter", letter.slug, "--key", keyFile, "--passphrase-file", passFile, "--format", "csv"],
      io,
    );
    expect(printed.errors.join("\n")).toContain("1 endorsements");
    expect(code).toBe(0);
    expect(printed.out).toContain("Quiet Union,,organisation,,,,,office@example.org,undisclosed,");

    writeFileSync(passFile, "the wrong passphrase\n");
    expect(
      await exportSignaturesCommand(
        ["--letter", letter.slug, "--key", keyFile, "--passphrase-file", passFile],
        io,
      ),
    ).toBe(1);
    expect(printed.errors.at(-1)).toContain("the passphrase does not open this key file");
    expect(await exportSignaturesCommand(["--letter", letter.slug], { ...io, env: {} })).toBe(2);
  });
});
