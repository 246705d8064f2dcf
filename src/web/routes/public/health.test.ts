import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { openStore } from "../../../store/db.ts";
import { migrateToLatest } from "../../../store/migrate.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`/healthz on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("answers 200 while the database answers", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const response = await app.inject("/healthz");
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ok", database: "ok" });
      expect(response.headers["cache-control"]).toBe("no-store");
      await app.close();
    });
  });
}

describe("/healthz without a database", () => {
  it("answers 503 once the database is gone", async () => {
    // A folder of its own: opening a store makes its data directory private, everything in it included.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-health-"));
    const store = await openStore({ dataDir, sqliteFile: ":memory:" });
    await migrateToLatest(store.db);
    const { app } = await buildTestApp(store, dataDir);
    await store.close();
    const response = await app.inject("/healthz");
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: "unavailable", database: "unreachable" });
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
