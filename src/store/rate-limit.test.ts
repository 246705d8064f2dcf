import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import { openStore } from "./db.ts";
import { closeEndedWindows, hit, subjectHash, windowAround } from "./rate-limit.ts";

const start = new Date("2026-03-01T09:00:00.000Z");
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
const WINDOW = 15 * 60_000;
const DAY = 24 * 60 * 60_000;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`rate limiter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("allows the limit within a window, then refuses with the time left", async () => {
      const { db } = store.current();
      for (let i = 0; i < 3; i++) expect((await hit(db, "t:a", 3, WINDOW, minutes(i))).allowed).toBe(true);
      expect(await hit(db, "t:a", 3, WINDOW, minutes(5))).toEqual({
        allowed: false,
        retryAfterMs: 10 * 60_000,
        hits: 4,
      });
    });

    it("starts a fresh window on the grid once the old one has passed", async () => {
      const { db } = store.current();
      for (let i = 0; i < 4; i++) await hit(db, "t:b", 3, WINDOW, minutes(0));
      expect((await hit(db, "t:b", 3, WINDOW, minutes(14))).allowed).toBe(false);
      expect(await hit(db, "t:b", 3, WINDOW, minutes(15))).toEqual({
        allowed: true,
        retryAfterMs: 0,
        hits: 1,
      });
      const windows = await db.selectFrom("rate_limit_windows").select(["starts_at", "ends_at"]).execute();
      expect(windows).toContainEqual({
        starts_at: minutes(15).toISOString(),
        ends_at: minutes(30).toISOString(),
      });
    });

    it("keeps subjects apart", async () => {
      const { db } = store.current();
      await hit(db, "t:c", 1, WINDOW, start);
      expect((await hit(db, "t:c", 1, WINDOW, start)).allowed).toBe(false);
      expect((await hit(db, "t:d", 1, WINDOW, start)).allowed).toBe(true);
    });

    it("counts hits made at the same moment exactly once each", async () => {
      const { db } = store.current();
      const at = minutes(60);
      await Promise.all(Array.from({ length: 20 }, () => hit(db, "t:e", 100, WINDOW, at)));
      const key = await db
        .selectFrom("rate_limit_windows")
        .select("hmac_key")
        .where("starts_at", "=", at.toISOString())
        .executeTakeFirstOrThrow();
      const row = await db
        .selectFrom("rate_limits")
        .select("hits")
        .where("subject_hash", "=", subjectHash(key.hmac_key, "t:e"))
        .executeTakeFirst();
      expect(Number(row?.hits)).toBe(20);
    });

    it("stores a day-long window as the UTC day, whatever the moment of the hit", async () => {
      const { db } = store.current();
      await hit(db, "t:f", 5, DAY, new Date("2026-03-02T17:43:12.345Z"));
      const window = await db
        .selectFrom("rate_limit_windows")
        .select(["starts_at", "ends_at"])
        .where("starts_at", "=", "2026-03-02T00:00:00.000Z")
        .executeTakeFirst();
      expect(window).toEqual({ starts_at: "2026-03-02T00:00:00.000Z", ends_at: "2026-03-03T00:00:00.000Z" });
    });

    it("keeps nothing of a prefix once its window has ended: no key, no row, no hash to try", async () => {
      const { db } = store.current();
      const day = new Date("2026-04-10T08:00:00.000Z");
      const subject = `sign:prefix:${clientPrefix("198.51.100.77")}`;
      await hit(db, subject, 5, DAY, day);
      const open = await db
        .selectFrom("rate_limit_windows")
        .select(["id", "hmac_key"])
        .where("starts_at", "=", "2026-04-10T00:00:00.000Z")
        .executeTakeFirstOrThrow();
      const hash = subjectHash(open.hmac_key, subject);
      // While the window is open, its key recognises the prefix: the most a seizure then could yield.
      expect(
        await db.selectFrom("rate_limits").select("hits").where("subject_hash", "=", hash).execute(),
      ).toEqual([{ hits: 1 }]);
      const rows = await db.selectFrom("rate_limits").selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain("198.51.100");

      // The next day's first hit closes the ended window, key and rows together.
      await hit(db, "t:other", 5, DAY, new Date("2026-04-11T00:00:01.000Z"));
      const windows = await db.selectFrom("rate_limit_windows").selectAll().execute();
      expect(windows.map((w) => w.id)).not.toContain(open.id);
      expect(windows.some((w) => w.ends_at <= "2026-04-11T00:00:00.000Z")).toBe(false);
      expect(
        await db.selectFrom("rate_limits").selectAll().where("window_id", "=", open.id).execute(),
      ).toEqual([]);
      // Trying every subject under every key still held finds nothing of the closed window.
      const held = await db.selectFrom("rate_limit_windows").select("hmac_key").execute();
      const hashes = new Set(
        (await db.selectFrom("rate_limits").select("subject_hash").execute()).map((r) => r.subject_hash),
      );
      for (const { hmac_key } of held) expect(hashes.has(subjectHash(hmac_key, subject))).toBe(false);
      if (dialect.name === "sqlite") {
        // secure_delete overwrites freed pages: the old key is not in the file either, once checkpointed.
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
        const file = readFileSync(path.join(store.dataDir(), "undersigned.sqlite"));
        expect(file.includes(open.hmac_key)).toBe(false);
      }
    });

    it("the periodic sweep closes ended windows without waiting for another hit", async () => {
      const { db } = store.current();
      await hit(db, "t:g", 5, WINDOW, new Date("2026-05-01T10:05:00.000Z"));
      expect(await closeEndedWindows(db, new Date("2026-05-01T10:14:59.000Z"))).toBe(0);
      await closeEndedWindows(db, new Date("2026-05-02T00:00:00.000Z"));
      const left = await db.selectFrom("rate_limit_windows").selectAll().execute();
      expect(left.filter((w) => w.ends_at <= "2026-05-02T00:00:00.000Z")).toEqual([]);
      const orphans = await db
        .selectFrom("rate_limits")
        .select("window_id")
        .where("window_id", "not in", left.length ? left.map((w) => w.id) : [""])
        .execute();
      expect(orphans).toEqual([]);
    });

    it("is shared by processes using the same database", async () => {
      const { db } = store.current();
      const second = await openStore({ dataDir: store.dataDir(), databaseUrl: store.databaseUrl() });
      try {
        const at = new Date("2026-06-01T12:00:00.000Z");
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => hit(i % 2 ? second.db : db, "t:shared", 6, DAY, at)),
        );
        expect(results.filter((r) => r.allowed)).toHaveLength(6);
        expect((await hit(second.db, "t:shared", 6, DAY, at)).allowed).toBe(false);
        expect((await hit(db, "t:shared", 6, DAY, at)).allowed).toBe(false);
        expect(
          await second.db
            .selectFrom("rate_limit_windows")
            .select("id")
            .where("starts_at", "=", "2026-06-01T00:00:00.000Z")
            .execute(),
        ).toHaveLength(1);
      } finally {
        await second.close();
      }
    });
  });
}

describe("windowAround", () => {
  it("puts windows on a grid from UTC midnight", () => {
    expect(windowAround(DAY, new Date("2026-03-01T23:59:59.999Z"))).toEqual({
      start: new Date("2026-03-01T00:00:00.000Z"),
      end: new Date("2026-03-02T00:00:00.000Z"),
    });
    expect(windowAround(WINDOW, new Date("2026-03-01T09:29:00.000Z")).start).toEqual(
      new Date("2026-03-01T09:15:00.000Z"),
    );
  });

  it("refuses windows that do not divide a day into whole minutes", () => {
    for (const bad of [7 * 60_000, 30_000, 2 * DAY, 0])
      expect(() => windowAround(bad, start)).toThrow(RangeError);
  });
});
