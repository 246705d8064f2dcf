import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { rewriteLog, runVerifier, useServedExampleLog } from "../../test/served-log.ts";
import { EXAMPLE_LETTER } from "../domain/example-letter.ts";
import { verifyLogCommand } from "./verify-log.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`undersigned verify --log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const log = useServedExampleLog(store);
    let letter: string;
    const statePath = path.join(mkdtempSync(path.join(os.tmpdir(), "undersigned-verify-")), "state.json");

    const verify = () =>
      runVerifier((io) =>
        verifyLogCommand(
          ["--log", log.logUrl(), "--letter", letter, "--slug", EXAMPLE_LETTER.slug, "--state", statePath],
          io,
        ),
      );

    beforeAll(async () => {
      letter = (
        await log.app().inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}` })
      ).json().log.letter;
    });

    it("recounts the letter from the tiles, agrees with the site, and remembers the checkpoint", async () => {
      const first = await verify();
      expect(first.err).toBe("");
      expect(first.code).toBe(0);
      expect(first.out).toContain(`letter ${letter}: 65 counted (40 listed, 25 undisclosed)`);
      expect((await verify()).code).toBe(0);
    });

    it("catches a changed entry", async () => {
      const db = store.current().db;
      const row = await db
        .selectFrom("log_entries")
        .select(["idx", "entry"])
        .where("idx", "=", 3)
        .executeTakeFirstOrThrow();
      await db
        .updateTable("log_entries")
        .set({ entry: row.entry.replace(/day \S+/, "day 2020-01-01") })
        .where("idx", "=", 3)
        .execute();
      const result = await verify();
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/do not hash to the checkpoint's root/);
      await db.updateTable("log_entries").set({ entry: row.entry }).where("idx", "=", 3).execute();
      expect((await verify()).code).toBe(0);
    });

    it("catches a deleted entry even when the log re-signs what is left", async () => {
      const db = store.current().db;
      const entries = (await db.selectFrom("log_entries").select("entry").orderBy("idx").execute()).map(
        (r) => r.entry,
      );
      await rewriteLog(
        store.current(),
        log.signer(),
        [...entries.slice(0, 5), ...entries.slice(6)],
        log.now(),
      );
      const shrunk = await verify();
      expect(shrunk.code).toBe(1);
      expect(shrunk.err).toMatch(/the log shrank/);
      // Padding the tree back to a larger size does not help: its history is not the one seen before.
      await rewriteLog(
        store.current(),
        log.signer(),
        [...entries.slice(0, 5), ...entries.slice(6), entries[5]!, entries[5]!],
        log.now(),
      );
      const rewritten = await verify();
      expect(rewritten.code).toBe(1);
      expect(rewritten.err).toMatch(/rewrote its history/);
    });
  });
}
