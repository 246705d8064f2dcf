import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../../test/databases.ts";
import { insertLetterInNewCampaign } from "../../../test/letter-factory.ts";
import { upgradeMigrator } from "../../../test/migrator.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`migration 0022 on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("makes each run of one heading in a letter's order one addressee group, and drops the column down", async () => {
      const { db } = store.current();
      const migrator = upgradeMigrator(db);
      const translation = { language: "en", title: "T", subject: "S", body: "B" };
      const { letter } = await insertLetterInNewCampaign(db, [translation]);
      const { letter: other } = await insertLetterInNewCampaign(db, [translation]);
      expect((await migrator.migrateTo("0021-label-translations")).error).toBeUndefined();
      const at = "2026-03-01T00:00:00.000Z";
      const stored: [number, string, string | null, number][] = [
        [letter.id, "Brunei Darussalam", "The Defence Ministers of", 1],
        [letter.id, "UN Special Envoy", "The Special Envoy", 2],
        [letter.id, "Australia", "The Defence Ministers of", 3],
        [letter.id, "Japan", "The Defence Ministers of", 4],
        [letter.id, "An office", null, 5],
        [other.id, "Cambodia", "The Defence Ministers of", 1],
      ];
      for (const [letterId, name, group, position] of stored)
        await db
          .insertInto("recipients")
          .values({
            letter_id: letterId,
            name,
            addressee_group: group,
            emails: "[]",
            position,
            created_at: at,
            updated_at: at,
          } as never)
          .execute();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const keys = await db
        .selectFrom("recipients")
        .select(["name", "addressee_group_key"])
        .orderBy("letter_id")
        .orderBy("position")
        .execute();
      expect(keys.map((r) => [r.name, r.addressee_group_key])).toEqual([
        ["Brunei Darussalam", 1],
        ["UN Special Envoy", 2],
        ["Australia", 3],
        ["Japan", 3],
        ["An office", null],
        ["Cambodia", 1],
      ]);

      expect((await migrator.migrateTo("0021-label-translations")).error).toBeUndefined();
      const old = await db.selectFrom("recipients").selectAll().executeTakeFirstOrThrow();
      expect(Object.keys(old)).not.toContain("addressee_group_key");
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
    });
  });
}
