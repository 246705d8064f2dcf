import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../../test/databases.ts";
import { upgradeMigrator } from "../../../test/migrator.ts";
import { insertSignableLetter } from "../../../test/sign-on-factory.ts";
import { utf8 } from "../../domain/tlog/bytes.ts";
import { commitment } from "../../domain/tlog/entries.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`migration 0014 on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("keeps listed salts, turns undisclosed ones into the commitment they made, and drops them", async () => {
      const { db } = store.current();
      const migrator = upgradeMigrator(db);
      const letter = await insertSignableLetter(db);
      expect((await migrator.migrateTo("0013b-letter-reply-to")).error).toBeUndefined();
      const salts = { listed: randomBytes(32), undisclosed: randomBytes(32) };
      const at = "2026-03-01T00:00:00.000Z";
      for (const visibility of ["listed", "undisclosed"] as const) {
        await db
          .insertInto("signatures")
          .values({
            letter_id: letter.id,
            version_id: letter.versionId,
            kind: "organisation",
            visibility,
            state: "approved",
            source: "form",
            display_name: visibility === "listed" ? "Open Org" : null,
            sealed_identity: visibility === "undisclosed" ? "c2VhbGVkIGlkZW50aXR5" : null,
            leaf_salt: salts[visibility].toString("base64url"),
            created_at: at,
            updated_at: at,
          } as never)
          .execute();
      }
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await db
        .selectFrom("signatures")
        .selectAll()
        .where("letter_id", "=", letter.id)
        .orderBy("visibility")
        .execute();
      expect(rows.map((r) => [r.visibility, r.listed_salt, r.undisclosed_commit])).toEqual([
        ["listed", salts.listed.toString("base64url"), null],
        // What the log integrator committed to before: the same commitment, now without its salt.
        ["undisclosed", null, commitment(salts.undisclosed, utf8("c2VhbGVkIGlkZW50aXR5"))],
      ]);
      expect(Object.keys(rows[0]!)).not.toContain("leaf_salt");
      expect(JSON.stringify(rows)).not.toContain(salts.undisclosed.toString("base64url"));

      expect((await migrator.migrateTo("0013b-letter-reply-to")).error).toBeUndefined();
      const old = (await db
        .selectFrom("signatures")
        .selectAll()
        .where("letter_id", "=", letter.id)
        .orderBy("visibility")
        .execute()) as unknown as { leaf_salt: string }[];
      expect(old[0]!.leaf_salt).toBe(salts.listed.toString("base64url"));
      expect(Buffer.from(old[1]!.leaf_salt, "base64url")).toHaveLength(32);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
    });
  });
}
