import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertSignatures } from "../../test/letter-factory.ts";
import { shownCountStatement } from "../domain/count-statement.ts";
import { renderLetterMarkdown } from "../domain/letter-markdown.ts";
import { translator } from "../i18n/index.ts";
import { getPublicLetter } from "../queries/get-public-letter.ts";
import { exportLetterFiles, importLetterFile, LetterCommandError } from "./letters.ts";

/*
 * The count statement as a coalition words it, from a letter file: the reference letter's own sentence must
 * come out exactly, with its real counts (298 listed, 253 undisclosed).
 */

const now = new Date("2026-03-01T10:00:00.000Z");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const REFERENCE_SENTENCE =
  "This letter is endorsed by 551 organisations representing Myanmar regional and international civil society, including the 298 organisations listed below and 253 organisations which have chosen not to disclose their names below.";

const letterFile = (slug: string, extra = "") => `---
title: Stop the Jet Fuel
slug: ${slug}
language: en
signers: organisations
categories: [Myanmar, regional, international]
count_statement: "This letter is endorsed by {{total}} organisations representing Myanmar regional and international civil society, including the {{listed}} organisations listed below and {{undisclosed}} organisations which have chosen not to disclose their names below."
${extra}---
We ask you to act.
`;

const TRANSLATION = `---
title: ဂျက်လောင်စာ ရပ်တန့်ပါ
count_statement: "ဤပေးစာကို အဖွဲ့အစည်း {{total}} ဖွဲ့က ထောက်ခံထားသည်။"
---
ဆောင်ရွက်ပေးရန် တောင်းဆိုပါသည်။
`;

function writeLetter(slug: string, main: string, burmese?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-count-"));
  dirs.push(dir);
  const file = path.join(dir, `${slug}.md`);
  writeFileSync(file, main);
  if (burmese) writeFileSync(path.join(dir, `${slug}.my.md`), burmese);
  return file;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`count statements from letter files on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("gives the reference letter's sentence exactly, in each language its own wording, and survives export", async () => {
      const s = store.current();
      const file = writeLetter("stop-the-jet-fuel", letterFile("stop-the-jet-fuel"), TRANSLATION);
      await importLetterFile(s, { file }, now);
      const row = await s.db
        .selectFrom("letters")
        .select(["id", "current_version_id"])
        .where("slug", "=", "stop-the-jet-fuel")
        .executeTakeFirstOrThrow();
      await s.db.updateTable("letters").set({ state: "published" }).where("id", "=", row.id).execute();
      const letter = { id: row.id, versionId: row.current_version_id! };
      await insertSignatures(s.db, letter, [
        ...Array.from({ length: 298 }, () => ({ visibility: "listed" as const })),
        ...Array.from({ length: 253 }, () => ({ visibility: "undisclosed" as const })),
      ]);

      const english = await getPublicLetter(s.db, { slug: "stop-the-jet-fuel", language: "en" });
      expect(shownCountStatement(english!, "en", translator("en")).text).toBe(REFERENCE_SENTENCE);
      // A Burmese reader of the English text still reads the coalition's English sentence, marked English.
      expect(shownCountStatement(english!, "my", translator("my"))).toEqual({
        text: REFERENCE_SENTENCE,
        language: "en",
      });
      const burmese = await getPublicLetter(s.db, { slug: "stop-the-jet-fuel", language: "my" });
      expect(shownCountStatement(burmese!, "my", translator("my")).text).toBe(
        "ဤပေးစာကို အဖွဲ့အစည်း ၅၅၁ ဖွဲ့က ထောက်ခံထားသည်။",
      );

      const files = await exportLetterFiles(s, "stop-the-jet-fuel");
      expect(files[0]!.text).toContain("count_statement: This letter is endorsed by {{total}} organisations");
      expect(files[1]!.text).toContain("count_statement: ဤပေးစာကို အဖွဲ့အစည်း {{total}} ဖွဲ့က");

      // Another letter of the campaign citing it says how many organisations endorsed it.
      const citing = await getPublicLetter(s.db, { slug: "stop-the-jet-fuel", language: "en" });
      const cited = renderLetterMarkdown(
        { body: "As {{letter:stop-the-jet-fuel}} said.", closing: "" },
        {
          locale: "en",
          counts: citing!.counts,
          citations: [
            {
              slug: "stop-the-jet-fuel",
              title: "Stop the Jet Fuel",
              language: "en",
              letterDate: null,
              total: 551,
              organisations: 551,
              individuals: 0,
            },
          ],
        },
      );
      expect(cited.html.body).toContain("(endorsed by 551 organisations)");
    });

    it("without a template shows the generated sentence", async () => {
      const s = store.current();
      const file = writeLetter(
        "no-template",
        letterFile("no-template").replace(/^count_statement:.*\n/m, ""),
      );
      await importLetterFile(s, { file }, now);
      await s.db
        .updateTable("letters")
        .set({ state: "published" })
        .where("slug", "=", "no-template")
        .execute();
      const letter = await getPublicLetter(s.db, { slug: "no-template", language: "en" });
      expect(letter!.countStatementTemplate).toBeNull();
      expect(shownCountStatement(letter!, "en", translator("en")).text).toBe(
        translator("en")("counts.organisation.none"),
      );
    });

    it("imports nothing when --publish cannot publish: no letter, no campaign", async () => {
      const s = store.current();
      const file = writeLetter("cannot-publish", letterFile("cannot-publish"));
      await expect(importLetterFile(s, { file, publish: true }, now)).rejects.toThrow(LetterCommandError);
      expect(
        await s.db.selectFrom("letters").select("id").where("slug", "=", "cannot-publish").execute(),
      ).toEqual([]);
      expect(
        await s.db.selectFrom("campaigns").select("id").where("slug", "=", "cannot-publish").execute(),
      ).toEqual([]);

      // Into a campaign without a key: refused the same way, and that campaign keeps no letter.
      const campaign = await insertCampaign(s.db);
      const slug = (
        await s.db
          .selectFrom("campaigns")
          .select("slug")
          .where("id", "=", campaign.id)
          .executeTakeFirstOrThrow()
      ).slug;
      await expect(importLetterFile(s, { file, publish: true, campaign: slug }, now)).rejects.toThrow(
        /coalition key/,
      );
      expect(
        await s.db.selectFrom("letters").select("id").where("campaign_id", "=", campaign.id).execute(),
      ).toEqual([]);
    });
  });
}
