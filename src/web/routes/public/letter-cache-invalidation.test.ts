import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { consoleActor, letterDraft } from "../../../../test/letter-drafts.ts";
import { insertCampaign } from "../../../../test/letter-factory.ts";
import { changeLetterState } from "../../../commands/change-letter-state.ts";
import { createLetter } from "../../../commands/create-letter.ts";
import { saveLetter } from "../../../commands/save-letter.ts";
import { generateKeyPair } from "../../../crypto/seal.ts";

/*
 * The public letter page is cached in memory for a few seconds; a coordinator's own change must show at
 * once, not after the cache expires, because the authoring commands announce it with letterChanged().
 */
for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`public page after an authoring change on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("shows an edited letter at once", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const deps = { store: store.current() };
      const campaign = await insertCampaign(db);
      const { publicKey } = await generateKeyPair();
      await db
        .updateTable("campaigns")
        .set({ public_key: publicKey })
        .where("id", "=", campaign.id)
        .execute();
      const actor = await consoleActor(store.current(), "owner");
      const draft = letterDraft(campaign.id);
      const now = new Date("2026-03-01T09:00:00.000Z");
      const letter = await createLetter(deps, { actor, draft }, now);
      await changeLetterState(deps, { actor, letterId: letter.id, transition: "publish" }, now);

      const first = await app.inject(`/letters/${letter.slug}`);
      expect(first.body).toContain("Stop the sale of aviation fuel");

      const edited = structuredClone(draft);
      edited.translations[0]!.title = "Stop the sale of jet fuel";
      await saveLetter(deps, { actor, letterId: letter.id, draft: edited }, now);
      const second = await app.inject(`/letters/${letter.slug}`);
      expect(second.body).toContain("Stop the sale of jet fuel");

      await app.close();
    });
  });
}
