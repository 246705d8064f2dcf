import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter, insertSignatures } from "../../test/letter-factory.ts";
import { getPublicLetter } from "./get-public-letter.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`getPublicLetter on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("groups approved listed signatories by the letter's categories, others after, uncategorised last", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, { campaignId: campaign.id, categories: ["Myanmar", "regional"] });
      await insertSignatures(db, letter, [
        { displayName: "Zeta Group", category: "regional" },
        { displayName: "alpha group", category: "regional" },
        { displayName: "Group 10", category: "Myanmar" },
        { displayName: "Group 9", category: "Myanmar" },
        { displayName: "Loose Group", category: null },
        { displayName: "Diaspora Group", category: "diaspora" },
        { displayName: "Pending Group", category: "Myanmar", state: "confirmed" },
        { visibility: "undisclosed", category: "Myanmar" },
      ]);
      const shown = await getPublicLetter(db, { slug: letter.slug, language: "en" });
      expect(shown!.signatories).toEqual([
        {
          category: "Myanmar",
          signatories: [
            expect.objectContaining({ name: "Group 9" }),
            expect.objectContaining({ name: "Group 10" }),
          ],
        },
        {
          category: "regional",
          signatories: [
            expect.objectContaining({ name: "alpha group" }),
            expect.objectContaining({ name: "Zeta Group" }),
          ],
        },
        { category: "diaspora", signatories: [expect.objectContaining({ name: "Diaspora Group" })] },
        { category: null, signatories: [expect.objectContaining({ name: "Loose Group" })] },
      ]);
      expect(shown!.counts).toMatchObject({ total: 7, listed: 6, undisclosed: 1 });
      const withoutList = await getPublicLetter(db, {
        slug: letter.slug,
        language: "en",
        withSignatories: false,
      });
      expect(withoutList!.signatories).toEqual([]);
      expect(withoutList!.counts).toEqual(shown!.counts);
    });

    it("sorts Burmese names in dictionary order, not code-point order", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, { campaignId: campaign.id });
      const names = ["မြန်မာ", "ကချင်", "ရှမ်း", "ကရင်", "စစ်ကိုင်း", "ဧရာဝတီ", "အင်းလေး"];
      await insertSignatures(
        db,
        letter,
        names.map((displayName) => ({ displayName })),
      );
      const shown = await getPublicLetter(db, { slug: letter.slug, language: "my" });
      const order = shown!.signatories[0]!.signatories.map((s) => s.name);
      expect(order).toEqual([...names].sort(new Intl.Collator("my", { numeric: true }).compare));
    });

    it("falls back to the default language and reads archived letters, but never drafts", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const archived = await insertLetter(db, {
        campaignId: campaign.id,
        state: "archived",
        defaultLanguage: "my",
        translations: [
          { language: "my", title: "မြန်မာ ခေါင်းစဉ်" },
          { language: "th", title: "Thai" },
        ],
      });
      const shown = await getPublicLetter(db, { slug: archived.slug, language: "en" });
      expect(shown).toMatchObject({ language: "my", title: "မြန်မာ ခေါင်းစဉ်", languages: ["my", "th"] });
      for (const state of ["draft", "collecting"] as const) {
        const hidden = await insertLetter(db, { campaignId: campaign.id, state });
        expect(await getPublicLetter(db, { slug: hidden.slug, language: "en" })).toBeUndefined();
      }
      expect(await getPublicLetter(db, { slug: "nothing-here", language: "en" })).toBeUndefined();
    });
  });
}
