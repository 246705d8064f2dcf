import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { ConfigError } from "../config.ts";
import { openStore } from "./db.ts";
import { migrateToLatest } from "./migrate.ts";
import { getOrCreateSecret, getSetting, setSetting } from "./settings.ts";

const now = new Date("2026-01-02T03:04:05.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`store on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("creates every table of the schema", async () => {
      const tables = await store.current().db.introspection.getTables();
      const names = tables.map((t) => t.name).filter((n) => !n.startsWith("kysely_"));
      expect(names.sort()).toEqual(
        [
          "audit_entries",
          "campaign_key_proposals",
          "campaign_members",
          "campaigns",
          "deliveries",
          "imports",
          "letter_translations",
          "letter_updates",
          "letter_versions",
          "letters",
          "log_entries",
          "log_nodes",
          "log_state",
          "log_witnesses",
          "one_time_tokens",
          "outbox_messages",
          "rate_limit_windows",
          "rate_limits",
          "recipient_stances",
          "recipients",
          "responses",
          "sessions",
          "settings",
          "signatures",
          "signer_events",
          "stances",
          "uploads",
          "users",
        ].sort(),
      );
    });

    it("applies migrations once: a second run is a no-op", async () => {
      expect(await migrateToLatest(store.current().db)).toEqual([]);
    });

    it("enforces foreign keys", async () => {
      const insertOrphan = store
        .current()
        .db.insertInto("sessions")
        .values({ id: "x", user_id: 999999, created_at: "", last_seen_at: "", expires_at: "" })
        .execute();
      await expect(insertOrphan).rejects.toThrow();
    });

    it("keeps settings and one shared server secret", async () => {
      const { db } = store.current();
      await setSetting(db, "signing_paused", "1", now);
      await setSetting(db, "signing_paused", "0", now);
      expect(await getSetting(db, "signing_paused")).toBe("0");
      const first = await getOrCreateSecret(db, now);
      const second = await getOrCreateSecret(db, now);
      expect(first).toHaveLength(43);
      expect(second).toBe(first);
    });

    it("round-trips text in Burmese and times as ISO strings", async () => {
      const { db } = store.current();
      await setSetting(db, "probe", "မြန်မာ ၁၂၃", now);
      const row = await db
        .selectFrom("settings")
        .selectAll()
        .where("key", "=", "probe")
        .executeTakeFirstOrThrow();
      expect(row.value).toBe("မြန်မာ ၁၂၃");
      expect(row.updated_at).toBe("2026-01-02T03:04:05.000Z");
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(Number(rows[0]!.one)).toBe(1);
    });
  });
}

describe("opening PostgreSQL", () => {
  it("names DATABASE_URL, without the password, when the server cannot be reached", async () => {
    const error = await openStore({
      dataDir: "/tmp",
      databaseUrl: "postgres://u:s3cret@127.0.0.1:1/none",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /^DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/none/,
    );
    expect((error as ConfigError).message).not.toContain("s3cret");
  });
});
