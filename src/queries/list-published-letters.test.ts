import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../test/letter-factory.ts";
import { getCampaign } from "./get-campaign.ts";
import { listPublishedLetters } from "./list-published-letters.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`listing letters on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("lists published and closed letters, newest publication first, in the reader's language", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const older = await insertLetter(db, {
        campaignId: campaign.id,
        publicationDate: "2025-01-01",
        position: 1,
      });
      const newer = await insertLetter(db, {
        campaignId: campaign.id,
        state: "closed",
        publicationDate: "2025-06-01",
        position: 2,
        translations: [
          { language: "en", title: "Newer" },
          { language: "my", title: "ပိုသစ်" },
        ],
      });
      const undated = await insertLetter(db, { campaignId: campaign.id, publicationDate: null, position: 3 });
      const hidden = await Promise.all(
        (["draft", "collecting", "archived"] as const).map((state) =>
          insertLetter(db, { campaignId: campaign.id, state, position: 4 }),
        ),
      );
      await insertSignatures(db, newer, [{}, { visibility: "undisclosed" }, { state: "rejected" }]);

      const letters = await listPublishedLetters(db, { language: "my" });
      expect(letters.map((l) => l.slug)).toEqual([newer.slug, older.slug, undated.slug]);
      expect(letters[0]).toMatchObject({ title: "ပိုသစ်", language: "my", state: "closed" });
      expect(letters[0]!.counts).toMatchObject({ total: 2, listed: 1, undisclosed: 1 });
      expect(letters[1]).toMatchObject({ language: "en", letterDate: "2026-01-10" });
      for (const h of hidden) expect(letters.map((l) => l.slug)).not.toContain(h.slug);

      const shownCampaign = await getCampaign(db, { slug: campaign.slug, language: "en" });
      // Campaign order, archived letters included (they stay readable), drafts and collecting ones not.
      expect(shownCampaign!.letters.map((l) => l.slug)).toEqual([
        older.slug,
        newer.slug,
        undated.slug,
        hidden[2]!.slug,
      ]);
      expect(shownCampaign!.letters[1]!.counts.total).toBe(2);
    });

    it("keeps a campaign hidden until it has a public letter", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      await insertLetter(db, { campaignId: campaign.id, state: "draft" });
      expect(await getCampaign(db, { slug: campaign.slug, language: "en" })).toBeUndefined();
      expect(await getCampaign(db, { slug: "no-such-campaign", language: "en" })).toBeUndefined();
    });
  });
}
