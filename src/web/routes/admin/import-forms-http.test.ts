import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../../../test/databases.ts";
import { postMapping, tokenOf, upload, useImportConsole } from "../../../../test/import-console.ts";

/*
 * Importing a form service's answers without script, over HTTP: which answer means listed or undisclosed
 * and which way the dates go, with undisclosed answers refused.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`console import of form answers over HTTP on ${dialect.label}`, () => {
    const { kept, setUp } = useImportConsole(dialect.name);
    it("asks what a form's answers mean and which way its dates go without script, and refuses undisclosed answers", async () => {
      const { app, db, letter, cookie, csrf } = await setUp();
      const url = `/admin/letters/${letter.id}/import`;
      const header =
        "Timestamp,Name of your organisation,Would you like your organisation's name to be listed publicly?";
      const withNo = `${header}\r\n04/03/2026 10:00:00,Athan Media,Yes\r\n05/03/2026 10:00:00,Quiet Group,No\r\n`;
      const refused = await upload(app, url, cookie, csrf, "form.csv", Buffer.from(withNo));
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain("Files with undisclosed rows");
      expect(kept()).toHaveLength(0);

      const file = `${header}\r\n04/03/2026 10:00:00,Athan Media,Yes\r\n05/03/2026 10:00:00,Golden Valley Network,Maybe\r\n`;
      const uploaded = await upload(app, url, cookie, csrf, "form.csv", Buffer.from(file));
      expect(uploaded.statusCode).toBe(200);
      const token = tokenOf(uploaded);
      // The importer's guesses, for the coordinator to confirm: Yes looks listed, Maybe has no guess.
      expect(uploaded.body).toMatch(/name="answer_visibility_0">.*?<option value="listed" selected/s);
      expect(uploaded.body).toMatch(
        /name="answer_visibility_1"><option value>[^<]*<\/option><option value="listed">/,
      );
      expect(uploaded.body).toContain(
        "1 rows have dates such as “04/03/2026 10:00:00” that could be read either way",
      );
      const mapping = (fields: Record<string, string>) =>
        postMapping(app, url, cookie, csrf, {
          token,
          map_name: "1",
          map_signed_at: "0",
          map_visibility: "2",
          answers_for_visibility: "2",
          answer_visibility_0: "listed",
          answer_visibility_1: "",
          ...fields,
        });
      const preview = await mapping({ step: "preview" });
      expect(preview.body).toContain(
        "1 rows ready to import (0 undisclosed), 0 repeated in the file, 1 with a problem.",
      );
      expect(preview.body).toContain("“Maybe” is neither “listed” nor “undisclosed”");
      // Choosing undisclosed for an answer: the server must not hold those names, so the file is dropped.
      const undisclosed = await mapping({ step: "preview", answer_visibility_1: "undisclosed" });
      expect(undisclosed.statusCode).toBe(400);
      expect(kept()).toHaveLength(0);
      const again = await upload(app, url, cookie, csrf, "form.csv", Buffer.from(file));
      const token2 = tokenOf(again);
      const imported = await postMapping(app, url, cookie, csrf, {
        token: token2,
        map_name: "1",
        map_signed_at: "0",
        map_visibility: "2",
        answers_for_visibility: "2",
        answer_visibility_0: "listed",
        answer_visibility_1: "listed",
        dates: "day-first",
        step: "import",
      });
      expect(imported.body).toContain("Imported 2, duplicates 0, rejected 0.");
      const rows = await db
        .selectFrom("signatures")
        .select(["display_name", "confirmed_at"])
        .where("letter_id", "=", letter.id)
        .orderBy("display_name")
        .execute();
      expect(rows.map((r) => [r.display_name, String(r.confirmed_at).slice(0, 10)])).toEqual([
        ["Athan Media", "2026-03-04"],
        ["Golden Valley Network", "2026-03-05"],
      ]);
    });
  });
}
