import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { consoleActor, letterDraft } from "../../../../test/letter-drafts.ts";
import { insertCampaign, insertDemoKeyCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { changeLetterState } from "../../../commands/change-letter-state.ts";
import { confirmCampaignKey } from "../../../commands/confirm-campaign-key.ts";
import { createLetter } from "../../../commands/create-letter.ts";
import { saveLetter } from "../../../commands/save-letter.ts";
import { setCampaignKey } from "../../../commands/set-campaign-key.ts";
import { keyFingerprint, readableFingerprint } from "../../../crypto/key-fingerprint.ts";
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

    it("shows the fingerprint of a campaign's confirmed key at once on its letters' pages", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const deps = { store: store.current() };
      const now = new Date("2026-03-01T09:00:00.000Z");
      // The example's DEMO key, replaced by the coalition's own: its fingerprint is on every page at once.
      const campaign = await insertDemoKeyCampaign(db);
      const { demo } = campaign;
      // Letters cannot be made in a DEMO-key campaign: the example's own, as the factory writes it.
      const letter = await insertLetter(db, { campaignId: campaign.id });
      expect((await app.inject(`/letters/${letter.slug}`)).body).toContain(
        readableFingerprint(demo.publicKey),
      );

      const proposer = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const confirmer = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const coalition = await generateKeyPair();
      await setCampaignKey(
        deps,
        { campaignSlug: campaign.slug, publicKey: coalition.publicKey, actor: proposer },
        now,
      );
      // Proposed only: the pages still show the key in force.
      expect((await app.inject(`/letters/${letter.slug}`)).body).toContain(
        readableFingerprint(demo.publicKey),
      );
      await confirmCampaignKey(
        deps,
        { campaignSlug: campaign.slug, fingerprint: keyFingerprint(coalition.publicKey), actor: confirmer },
        now,
      );
      const page = (await app.inject(`/letters/${letter.slug}`)).body;
      expect(page).toContain(readableFingerprint(coalition.publicKey));
      expect(page).not.toContain(readableFingerprint(demo.publicKey));
      await app.close();
    });
  });
}
