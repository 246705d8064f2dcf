import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { keyCommandRun } from "../../test/key-command.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { createKeyFile } from "../crypto/coalition-key.ts";
import { disclose, discloseCommand } from "./disclose.ts";

const PASSPHRASE = "a long enough passphrase";
const now = new Date("2027-03-01T12:00:00.000Z");

/** A threshold endorsement: undisclosed and sealed like any, with the signer's condition beside it. */
async function insertThreshold(
  db: Parameters<typeof insertEndorsement>[0],
  letter: Parameters<typeof insertEndorsement>[1],
  publicKey: string,
  name: string,
  threshold: number,
  state: "confirmed" | "approved" = "approved",
) {
  const id = await insertEndorsement(db, letter, publicKey, {
    name,
    visibility: "undisclosed",
    state,
    country: "MM",
  });
  await db.updateTable("signatures").set({ disclose_threshold: threshold }).where("id", "=", id).execute();
  return id;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned disclose on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("lists those whose condition is met, holds a listed name, leaves the rest sealed, and a dry run changes nothing", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, key, { name: "Karen Women Org", state: "approved" });
      await insertEndorsement(db, letter, key, { name: "Chin Youth", state: "approved" });
      const met = await insertThreshold(db, letter, key, "Rangoon Teachers", 2, "confirmed");
      const duplicate = await insertThreshold(db, letter, key, "Karen  Women Org", 1);
      const waiting = await insertThreshold(db, letter, key, "Kachin Relief", 50);

      const dry = await disclose(
        store.current(),
        { letterSlug: letter.slug, keyPair: letter.keyPair, dryRun: true },
        now,
      );
      if (typeof dry === "string") throw new Error(dry);
      expect(dry.disclosed).toBe(2);
      expect(dry.lines).toContain(`${met}\twould list\tRangoon Teachers`);
      expect(dry.lines).toContain(`${waiting}\twaiting\t2 of 50 listed`);
      expect(dry.lines.join("\n")).not.toContain("Kachin");
      const untouched = await db
        .selectFrom("signatures")
        .select("id")
        .where("visibility", "=", "listed")
        .execute();
      expect(untouched).toHaveLength(2);

      const run = await disclose(
        store.current(),
        { letterSlug: letter.slug, keyPair: letter.keyPair, dryRun: false },
        now,
      );
      if (typeof run === "string") throw new Error(run);
      expect(run.disclosed).toBe(1);
      expect(run.lines).toContain(`${met}\tlisted\tRangoon Teachers`);
      expect(run.lines.find((l) => l.startsWith(`${duplicate}\t`))).toContain("held");
      expect(run.lines.join("\n")).not.toContain("Kachin");
      const rows = await db
        .selectFrom("signatures")
        .select(["id", "visibility", "state", "display_name", "country"])
        .where("id", "in", [met, duplicate, waiting])
        .execute();
      expect(
        Object.fromEntries(rows.map((r) => [r.id, [r.visibility, r.state, r.display_name, r.country]])),
      ).toEqual({
        [met]: ["listed", "approved", "Rangoon Teachers", "MM"],
        [duplicate]: ["undisclosed", "approved", null, null],
        [waiting]: ["undisclosed", "approved", null, null],
      });
      // Another key is refused before anything is opened.
      const other = await insertSignableLetter(db);
      expect(
        await disclose(
          store.current(),
          { letterSlug: letter.slug, keyPair: other.keyPair, dryRun: false },
          now,
        ),
      ).toBe("this key file is not the key of the letter's campaign");
    });
  });
}

describe("undersigned disclose (command line)", () => {
  const store = useStore("sqlite");

  it("opens the key file with the passphrase from a file and ends with disclosed N", async () => {
    const { db } = store.current();
    const { keyPair, file } = await createKeyFile(PASSPHRASE, { now, strength: "interactive" });
    const letter = await insertSignableLetter(db, { keyPair });
    await insertEndorsement(db, letter, keyPair.publicKey, { name: "Listed One", state: "approved" });
    const id = await insertThreshold(db, letter, keyPair.publicKey, "Quiet Union", 1);
    const run = keyCommandRun(store.dataDir(), file, PASSPHRASE);
    const { keyFile, passFile, printed } = run;
    const io = { ...run.io, now: () => now };
    const args = ["--letter", letter.slug, "--key", keyFile, "--passphrase-file", passFile];
    expect(await discloseCommand([...args, "--dry-run"], io)).toBe(0);
    expect(printed.out).toBe(`${id}\twould list\tQuiet Union\nwould disclose 1\n`);
    printed.out = "";
    expect(await discloseCommand(args, io)).toBe(0);
    expect(printed.out).toBe(`${id}\tlisted\tQuiet Union\ndisclosed 1\n`);
    expect(await discloseCommand(["--letter", letter.slug], io)).toBe(2);
    expect(printed.errors.at(-1)).toContain("--letter and --key are required");
  });
});
