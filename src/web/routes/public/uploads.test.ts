import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`/uploads on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("serves files of the public folder only, never a response document recorded with the same hash", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const bytes = Buffer.from("\x89PNG\r\n\x1a\nnot really an image, but typed as one");
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const name = `${sha256}.png`;
      // A private response document: an uploads row whose file lives outside the public folder…
      mkdirSync(path.join(store.dataDir(), "responses"), { recursive: true });
      mkdirSync(path.join(store.dataDir(), "uploads"), { recursive: true });
      writeFileSync(path.join(store.dataDir(), "responses", name), bytes);
      // …and a file of the same name in the public folder, as a logo with the same bytes would leave.
      writeFileSync(path.join(store.dataDir(), "uploads", name), bytes);
      const row = {
        sha256,
        media_type: "image/png",
        bytes: bytes.length,
        created_at: new Date().toISOString(),
      };
      await store
        .current()
        .db.insertInto("uploads")
        .values({ ...row, path: `responses/${name}` })
        .execute();
      expect((await app.inject(`/uploads/${name}`)).statusCode).toBe(404);

      await store
        .current()
        .db.insertInto("uploads")
        .values({ ...row, path: `uploads/${name}` })
        .execute();
      const served = await app.inject(`/uploads/${name}`);
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.equals(bytes)).toBe(true);
      await app.close();
    });
  });
}
