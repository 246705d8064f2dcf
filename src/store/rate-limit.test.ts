import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { hit, ipKey } from "./rate-limit.ts";

const start = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
const WINDOW = 15 * 60_000;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`rate limiter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("allows the limit within a window, then refuses with the time left", async () => {
      const { db } = store.current();
      for (let i = 0; i < 3; i++) expect((await hit(db, "t:a", 3, WINDOW, minutes(i))).allowed).toBe(true);
      expect(await hit(db, "t:a", 3, WINDOW, minutes(5))).toEqual({
        allowed: false,
        retryAfterMs: 10 * 60_000,
      });
    });

    it("starts a fresh window once the old one has passed", async () => {
      const { db } = store.current();
      for (let i = 0; i < 4; i++) await hit(db, "t:b", 3, WINDOW, minutes(0));
      expect((await hit(db, "t:b", 3, WINDOW, minutes(14))).allowed).toBe(false);
      expect(await hit(db, "t:b", 3, WINDOW, minutes(15))).toEqual({ allowed: true, retryAfterMs: 0 });
      const row = await db.selectFrom("rate_limits").selectAll().where("key", "=", "t:b").executeTakeFirst();
      expect(row).toMatchObject({ window_start: minutes(15).toISOString(), hits: 1 });
    });

    it("keeps keys apart", async () => {
      const { db } = store.current();
      await hit(db, "t:c", 1, WINDOW, start);
      expect((await hit(db, "t:c", 1, WINDOW, start)).allowed).toBe(false);
      expect((await hit(db, "t:d", 1, WINDOW, start)).allowed).toBe(true);
    });

    it("counts hits made at the same moment exactly once each", async () => {
      const { db } = store.current();
      await Promise.all(Array.from({ length: 20 }, () => hit(db, "t:e", 100, WINDOW, start)));
      const row = await db
        .selectFrom("rate_limits")
        .select("hits")
        .where("key", "=", "t:e")
        .executeTakeFirst();
      expect(Number(row?.hits)).toBe(20);
    });
  });
}

describe("ipKey", () => {
  it("is a short keyed hash that never contains the address", () => {
    const key = ipKey("secret-one", "203.0.113.7");
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).not.toContain("203");
    expect(ipKey("secret-one", "203.0.113.7")).toBe(key);
    expect(ipKey("secret-two", "203.0.113.7")).not.toBe(key);
  });
});
