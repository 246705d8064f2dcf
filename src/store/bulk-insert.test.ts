import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertRows } from "./bulk-insert.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`bulk insert on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("stores every row of a count that is no power of two, values in their columns", async () => {
      const { db } = store.current();
      // 301 = 256 + 32 + 8 + 4 + 1: five chunks of different sizes.
      const rows = Array.from({ length: 301 }, (_, i) => ({
        key: `bulk.${String(i).padStart(3, "0")}`,
        value: `value ${i * 7}`,
        updated_at: `2026-03-01T00:00:${String(i % 60).padStart(2, "0")}.000Z`,
      }));
      await insertRows(db, "settings", rows);
      const stored = await db
        .selectFrom("settings")
        .selectAll()
        .where("key", "like", "bulk.%")
        .orderBy("key")
        .execute();
      expect(stored).toEqual(rows);
    });

    it("inserts nothing for no rows, and sends undefined as NULL (a NOT NULL column refuses it)", async () => {
      const { db } = store.current();
      await insertRows(db, "settings", []);
      const before = await db.selectFrom("settings").select("key").execute();
      await expect(
        insertRows(db, "settings", [{ key: "bulk.null", value: undefined as never, updated_at: "x" }]),
      ).rejects.toThrow();
      expect(await db.selectFrom("settings").select("key").execute()).toEqual(before);
    });
  });
}
