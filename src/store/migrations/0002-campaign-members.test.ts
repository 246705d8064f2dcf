import { Migrator } from "kysely";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../../test/accounts.ts";
import { DIALECTS, useStore } from "../../../test/databases.ts";
import { insertCampaign } from "../../../test/letter-factory.ts";
import { migrations } from "../migrate.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`migration 0002 on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("makes every existing coordinator and reviewer a member of every existing campaign, owners none", async () => {
      const { db } = store.current();
      const migrator = new Migrator({
        db,
        provider: {
          // Every migration, so that later ones are undone first and redone after, as on a real upgrade.
          getMigrations: async () => migrations,
        },
      });
      // Back to the schema as it was before roles were per campaign, with accounts and campaigns made then.
      const down = await migrator.migrateTo("0001-initial");
      expect(down.error).toBeUndefined();
      const owner = await insertUser(store.current(), { role: "owner" });
      const coordinator = await insertUser(store.current(), { role: "coordinator" });
      const reviewer = await insertUser(store.current(), { role: "reviewer" });
      const [a, b] = [await insertCampaign(db), await insertCampaign(db)];

      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      const members = await db
        .selectFrom("campaign_members")
        .select(["campaign_id", "user_id", "role"])
        .orderBy("campaign_id")
        .orderBy("user_id")
        .execute();
      expect(members).toEqual([
        { campaign_id: a.id, user_id: coordinator.id, role: "coordinator" },
        { campaign_id: a.id, user_id: reviewer.id, role: "reviewer" },
        { campaign_id: b.id, user_id: coordinator.id, role: "coordinator" },
        { campaign_id: b.id, user_id: reviewer.id, role: "reviewer" },
      ]);
      expect(members.some((m) => m.user_id === owner.id)).toBe(false);
    });
  });
}
