import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { consoleActor } from "../../test/letter-drafts.ts";
import {
  campaignKeyOf,
  insertCampaign,
  insertDemoKeyCampaign,
  insertLetter,
} from "../../test/letter-factory.ts";
import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { generateKeyPair } from "../crypto/seal.ts";
import type { Database } from "../store/schema.ts";
import { confirmCampaignKey } from "./confirm-campaign-key.ts";
import { setCampaignKey } from "./set-campaign-key.ts";
import { withdrawCampaignKeyProposal } from "./withdraw-campaign-key-proposal.ts";

/*
 * Who gives a campaign its coalition key: an owner or the command line at once, a coordinator only with a
 * second person's confirmation; every step audited with the fingerprint.
 */
const NOW = new Date("2026-03-01T09:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`giving a campaign its key on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => ({ store: store.current() });

    const proposals = (db: Kysely<Database>, id: number) =>
      db.selectFrom("campaign_key_proposals").select("public_key").where("campaign_id", "=", id).execute();
    const audit = (db: Kysely<Database>, id: number) =>
      db
        .selectFrom("audit_entries")
        .select(["actor_label", "action", "detail"])
        .where("campaign_id", "=", id)
        .orderBy("id")
        .execute();

    it("lets the command line set the key at once, dropping a coordinator's proposal still waiting", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const coordinator = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const proposed = await generateKeyPair();
      const result = await setCampaignKey(
        deps(),
        { campaignSlug: campaign.slug, publicKey: proposed.publicKey, actor: coordinator },
        NOW,
      );
      expect(result.outcome).toBe("proposed");
      expect(await proposals(db, campaign.id)).toEqual([{ public_key: proposed.publicKey }]);

      const operator = await generateKeyPair();
      const set = await setCampaignKey(
        deps(),
        { campaignSlug: campaign.slug, publicKey: operator.publicKey, actor: "cli" },
        NOW,
      );
      expect(set.outcome).toBe("set");
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: operator.publicKey, demo_key: 0 });
      expect(await proposals(db, campaign.id)).toEqual([]);
      expect(await audit(db, campaign.id)).toEqual([
        {
          actor_label: coordinator === "cli" ? "" : coordinator.label,
          action: "campaign.propose_key",
          detail: JSON.stringify({ fingerprint: keyFingerprint(proposed.publicKey) }),
        },
        {
          actor_label: "cli",
          action: "campaign.set_key",
          detail: JSON.stringify({
            fingerprint: keyFingerprint(operator.publicKey),
            dropped_proposal: keyFingerprint(proposed.publicKey),
          }),
        },
      ]);
      // The dropped proposal can no longer be confirmed.
      const other = await consoleActor(store.current(), "coordinator", [campaign.id]);
      await expect(
        confirmCampaignKey(
          deps(),
          { campaignSlug: campaign.slug, fingerprint: keyFingerprint(proposed.publicKey), actor: other },
          NOW,
        ),
      ).rejects.toMatchObject({ code: "invalid_state", fields: { confirm: "campaignKey.proposalGone" } });
    });

    it("lets an owner confirm; refuses the proposer, a reviewer and a coordinator of another campaign", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const elsewhere = await insertCampaign(db);
      const proposer = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const key = await generateKeyPair();
      const fingerprint = keyFingerprint(key.publicKey);
      await setCampaignKey(
        deps(),
        { campaignSlug: campaign.slug, publicKey: key.publicKey, actor: proposer },
        NOW,
      );

      const confirm = (actor: Awaited<ReturnType<typeof consoleActor>>) =>
        confirmCampaignKey(deps(), { campaignSlug: campaign.slug, fingerprint, actor }, NOW);
      await expect(confirm(proposer)).rejects.toMatchObject({
        code: "forbidden",
        fields: { confirm: "campaignKey.notTheProposer" },
      });
      await expect(
        confirm(await consoleActor(store.current(), "reviewer", [campaign.id])),
      ).rejects.toMatchObject({
        code: "forbidden",
      });
      await expect(
        confirm(await consoleActor(store.current(), "coordinator", [elsewhere.id])),
      ).rejects.toMatchObject({ code: "forbidden" });
      await expect(
        withdrawCampaignKeyProposal(
          deps(),
          {
            campaignSlug: campaign.slug,
            fingerprint,
            actor: await consoleActor(store.current(), "reviewer", [campaign.id]),
          },
          NOW,
        ),
      ).rejects.toMatchObject({ code: "forbidden" });
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();

      const owner = await consoleActor(store.current(), "owner");
      expect(await confirm(owner)).toEqual({ campaignId: campaign.id, fingerprint });
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: key.publicKey, demo_key: 0 });
    });

    it("checks again at confirmation that the key may still be set: a DEMO key that now seals a real endorsement stays", async () => {
      const { db } = store.current();
      const campaign = await insertDemoKeyCampaign(db);
      const { demo } = campaign;
      const proposer = await consoleActor(store.current(), "coordinator", [campaign.id]);
      const key = await generateKeyPair();
      await setCampaignKey(
        deps(),
        { campaignSlug: campaign.slug, publicKey: key.publicKey, actor: proposer },
        NOW,
      );
      // Between the proposal and its confirmation, a real endorsement is sealed to the DEMO key.
      const letter = await insertLetter(db, { campaignId: campaign.id });
      await insertEndorsement(db, letter, demo.publicKey, {
        name: "Real Group",
        visibility: "undisclosed",
        source: "form",
      });

      const confirmer = await consoleActor(store.current(), "coordinator", [campaign.id]);
      await expect(
        confirmCampaignKey(
          deps(),
          { campaignSlug: campaign.slug, fingerprint: keyFingerprint(key.publicKey), actor: confirmer },
          NOW,
        ),
      ).rejects.toMatchObject({ code: "invalid_state", fields: { confirm: "campaignKey.demoInUse" } });
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: demo.publicKey, demo_key: 1 });
    });
  });
}
