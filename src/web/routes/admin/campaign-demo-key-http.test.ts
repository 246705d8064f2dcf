import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { useCampaignKeyConsole } from "../../../../test/campaign-key-console.ts";
import { getAs as get, postFrom as post } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { campaignKeyOf, insertDemoKeyCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { keyFingerprint } from "../../../crypto/key-fingerprint.ts";
import { generateKeyPair } from "../../../crypto/seal.ts";
import type { SignatureSource } from "../../../domain/signature-states.ts";
import type { Database } from "../../../store/schema.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`a campaign's DEMO key over HTTP on ${dialect.label}`, () => {
    const { store, coordinatorOf, signedIn } = useCampaignKeyConsole(dialect.name);

    /** A campaign with the example's DEMO key and one undisclosed endorsement of the given source sealed to it. */
    async function demoCampaign(db: Kysely<Database>, source: SignatureSource) {
      const campaign = await insertDemoKeyCampaign(db);
      const letter = await insertLetter(db, { campaignId: campaign.id });
      await insertEndorsement(db, letter, campaign.demo.publicKey, {
        name: "Example Network",
        visibility: "undisclosed",
        source,
      });
      return campaign;
    }

    it("says plainly what a DEMO key is, and replaces it while only the example's records are sealed to it", async () => {
      const { db } = store.current();
      const campaign = await demoCampaign(db, "example");
      const { app, cookie } = await signedIn(await insertUser(store.current(), { role: "owner" }));
      const url = `/admin/campaigns/${campaign.slug}/key`;

      const page = await get(app, url, cookie);
      expect(page.body).toContain('data-key-state="demo"');
      expect(page.body).toContain("It is a demonstration key only: its private half is stored on the server");
      expect(page.body).toContain("Replace it with your own key before real use.");
      expect(page.body).toContain(keyFingerprint(campaign.demo.publicKey));
      expect(page.body).toContain("1 undisclosed endorsement is sealed to it.");
      expect(page.body).toContain("you may still replace it");
      expect(page.body).toContain('id="key-paste-form"');

      const own = await generateKeyPair();
      const saved = await post(app, url, cookie, page.body, { publicKey: own.publicKey });
      expect(saved.statusCode).toBe(303);
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: own.publicKey, demo_key: 0 });
      const entry = await db
        .selectFrom("audit_entries")
        .select("detail")
        .where("action", "=", "campaign.set_key")
        .where("campaign_id", "=", campaign.id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(entry.detail)).toEqual({
        fingerprint: keyFingerprint(own.publicKey),
        replaced_demo_key: keyFingerprint(campaign.demo.publicKey),
      });
      expect((await get(app, url, cookie)).body).toContain('data-key-state="real"');
      await app.close();
    });

    it("refuses to replace a DEMO key once a real undisclosed endorsement is sealed to it", async () => {
      const { db } = store.current();
      const campaign = await demoCampaign(db, "form");
      const { app, cookie } = await signedIn(await coordinatorOf(campaign.id));
      const url = `/admin/campaigns/${campaign.slug}/key`;

      const page = await get(app, url, cookie);
      expect(page.body).toContain('data-key-state="demo"');
      expect(page.body).toContain(
        "The demo key can no longer be replaced: 1 endorsements other than the example",
      );
      expect(page.body).not.toContain('id="key-paste-form"');

      // A page from before the real endorsement came in still posts: the command refuses.
      const campaignPage = await get(app, `/admin/campaigns/${campaign.slug}`, cookie);
      const own = await generateKeyPair();
      const refused = await post(app, url, cookie, campaignPage.body, { publicKey: own.publicKey });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain("The demo key can no longer be replaced");
      expect(await campaignKeyOf(db, campaign.id)).toEqual({
        public_key: campaign.demo.publicKey,
        demo_key: 1,
      });
      await app.close();
    });
  });
}
