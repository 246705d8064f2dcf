import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../test/letter-factory.ts";
import { useTempDirs } from "../../test/temp-dirs.ts";
import { LetterFileError } from "../domain/letter-file.ts";
import { getLetterForEditing } from "../queries/get-letter-for-editing.ts";
import { exportLetterFiles, importLetterFile, LetterCommandError } from "./letters.ts";

const now = new Date("2026-03-01T10:00:00.000Z");
const tempDir = useTempDirs("undersigned-letters-");

const MAIN = `---
title: Halt the Fuel Shipments Now
subject: Aviation fuel reaching the military
letter_date: 2026-02-10
publication_date: 2026-02-24
language: en
addressees:
  - heading: The Trade Ministers of
    names: [Country A, Country B]
  - heading: The Transport Ministers of
    names: [Country C]
salutation: Dear Ministers,
closing: Yours sincerely,
signers: organisations
categories: [Myanmar, regional, international]
---
We, the undersigned {{total}} organisations, ask you to act.[^1]

Second paragraph citing another source.[^2]

[^1]: First source, 2025.
[^2]: Second source, 2026.
`;

const BURMESE = `---
title: လောင်စာ တင်ပို့မှုကို ယခုပင် ရပ်တန့်ပါ
salutation: လေးစားအပ်ပါသော ဝန်ကြီးများခင်ဗျား
---
ကျွန်ုပ်တို့ {{total}} ဖွဲ့သည် တောင်းဆိုပါသည်။[^1]

[^1]: ပထမ ရင်းမြစ်။
`;

function writeLetter(dir: string, name = "halt") {
  writeFileSync(path.join(dir, `${name}.md`), MAIN);
  writeFileSync(path.join(dir, `${name}.my.md`), BURMESE);
  return path.join(dir, `${name}.md`);
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`letter files on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("imports a letter with its translation, and import → export → import changes nothing", async () => {
      const file = writeLetter(tempDir());
      const first = await importLetterFile(store.current(), { file }, now);
      expect(first).toEqual({ slug: "halt-the-fuel-shipments-now", outcome: "created" });
      const row = await store
        .current()
        .db.selectFrom("letters")
        .selectAll()
        .where("slug", "=", first.slug)
        .executeTakeFirstOrThrow();
      const letter = (await getLetterForEditing(store.current().db, row.id))!;
      expect(letter).toMatchObject({
        state: "draft",
        letterDate: "2026-02-10",
        publicationDate: "2026-02-24",
        categories: ["Myanmar", "regional", "international"],
        campaign: { slug: "halt-the-fuel-shipments-now", name: "Halt the Fuel Shipments Now" },
      });
      expect(letter.translations.map((t) => t.language)).toEqual(["en", "my"]);
      expect(letter.translations[0]!.addressees).toHaveLength(2);

      const exported = await exportLetterFiles(store.current(), first.slug);
      expect(exported.map((f) => f.name)).toEqual([`${first.slug}.md`, `${first.slug}.my.md`]);
      const out = tempDir();
      for (const f of exported) writeFileSync(path.join(out, f.name), f.text);
      const again = await importLetterFile(
        store.current(),
        { file: path.join(out, `${first.slug}.md`) },
        now,
      );
      expect(again).toEqual({ slug: first.slug, outcome: "unchanged" });
      expect(await getLetterForEditing(store.current().db, row.id)).toEqual(letter);
      expect(await exportLetterFiles(store.current(), first.slug)).toEqual(exported);
      const versions = await store
        .current()
        .db.selectFrom("letter_versions")
        .select("id")
        .where("letter_id", "=", row.id)
        .execute();
      expect(versions).toHaveLength(1);
    });

    it("imports into a named campaign, refuses an unknown one, and reports file:line: key: reason", async () => {
      const campaign = await insertCampaign(store.current().db);
      const dir = tempDir();
      writeFileSync(
        path.join(dir, "named.md"),
        MAIN.replace("title: Halt", `slug: named-${dialect.name}\ntitle: Halt`),
      );
      const { slug } = await importLetterFile(
        store.current(),
        { file: path.join(dir, "named.md"), campaign: campaign.slug },
        now,
      );
      const letter = await store
        .current()
        .db.selectFrom("letters")
        .select("campaign_id")
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      expect(letter.campaign_id).toBe(campaign.id);

      await expect(
        importLetterFile(
          store.current(),
          { file: path.join(dir, "named.md"), campaign: "no-such-campaign" },
          now,
        ),
      ).rejects.toEqual(
        new LetterCommandError('no campaign "no-such-campaign" (create it in the console first)'),
      );

      writeFileSync(path.join(dir, "bad.md"), MAIN.replace("signers: organisations", "signers: everyone"));
      const refusal = importLetterFile(store.current(), { file: path.join(dir, "bad.md") }, now);
      await expect(refusal).rejects.toBeInstanceOf(LetterFileError);
      await expect(refusal).rejects.toThrow(
        `${path.join(dir, "bad.md")}:14: signers: must be organisations, individuals or both`,
      );
    });

    it("gives a letter imported without --campaign a campaign of its own, never one holding other letters", async () => {
      const { db } = store.current();
      const dir = tempDir();
      const own = `own-${dialect.name}`;
      // Someone else's campaign already has the letter's slug as its name, with a letter (and key) of its own.
      const theirs = await insertCampaign(db, { slug: own });
      await insertLetter(db, { campaignId: theirs.id });
      writeFileSync(path.join(dir, "own.md"), MAIN.replace("title: Halt", `slug: ${own}\ntitle: Halt`));
      await importLetterFile(store.current(), { file: path.join(dir, "own.md") }, now);
      const placed = await db
        .selectFrom("letters")
        .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
        .select(["campaigns.slug", "campaigns.public_key"])
        .where("letters.slug", "=", own)
        .executeTakeFirstOrThrow();
      expect(placed).toEqual({ slug: `${own}-2`, public_key: null });
      // Imported again, it stays where it is.
      await importLetterFile(store.current(), { file: path.join(dir, "own.md") }, now);
      const again = await db
        .selectFrom("letters")
        .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
        .select("campaigns.slug")
        .where("letters.slug", "=", own)
        .executeTakeFirstOrThrow();
      expect(again.slug).toBe(`${own}-2`);
    });

    it("--publish refuses a campaign without a coalition key, with the reason", async () => {
      const dir = tempDir();
      writeFileSync(
        path.join(dir, "pub.md"),
        MAIN.replace("title: Halt", `slug: pub-${dialect.name}\ntitle: Halt`),
      );
      await expect(
        importLetterFile(store.current(), { file: path.join(dir, "pub.md"), publish: true }, now),
      ).rejects.toThrow(/pub\.md: state: This campaign has no coalition key yet/);
    });
  });
}

describe("the import and export commands as an operator runs them", () => {
  // Three cold starts of the CLI (TypeScript through tsx) on two shared cores: give them time.
  it("prints the slug, exports to stdout, and exits 2 with file:line: key: reason on a bad file", {
    timeout: 60_000,
  }, () => {
    const dataDir = tempDir();
    const file = writeLetter(tempDir(), "cli");
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    // Vitest sets BASE_URL=/ for Vite; an operator's shell would not have it (or a database URL) here.
    for (const key of ["BASE_URL", "DATABASE_URL", "PORT", "HOST"]) delete env[key];
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.resolve("bin/undersigned.js"), ...args], { env, encoding: "utf8" });

    const imported = run("import", "letter", file);
    expect([imported.status, imported.stdout, imported.stderr]).toEqual([
      0,
      "halt-the-fuel-shipments-now\n",
      "",
    ]);
    const exported = run("export", "letter", "halt-the-fuel-shipments-now");
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain("title: Halt the Fuel Shipments Now\n");
    expect(exported.stdout).toContain("[^2]: Second source, 2026.");

    writeFileSync(file, MAIN.replace("letter_date: 2026-02-10", "letter_date: 2026-02-31"));
    const refused = run("import", "letter", file);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe(`${file}:4: letter_date: is not a real date`);
    expect(readFileSync(file, "utf8")).toContain("2026-02-31");
  });
});
