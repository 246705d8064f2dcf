import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { useCampaignKeyConsole } from "../../../../test/campaign-key-console.ts";
import { FORM, getAs as get, postFrom as post } from "../../../../test/console-session.ts";
import { DIALECTS } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { campaignKeyOf, insertCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { setCampaignKey } from "../../../commands/set-campaign-key.ts";
import { keyFingerprint } from "../../../crypto/key-fingerprint.ts";
import { generateKeyPair } from "../../../crypto/seal.ts";
import type { Actor } from "../../../policies/actor.ts";
import { assetUrl } from "../../http/static-assets.ts";

const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const escaped = (text: string) => text.replaceAll("'", "&#39;").replaceAll('"', "&quot;");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`a campaign's coalition key over HTTP on ${dialect.label}`, () => {
    const { store, coordinatorOf, signedIn } = useCampaignKeyConsole(dialect.name);

    it("shows a campaign without a key, and sets a pasted public key: kept on errors, CSRF enforced, audited", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const coordinator = await coordinatorOf(campaign.id);
      const { app, cookie } = await signedIn(coordinator);
      const url = `/admin/campaigns/${campaign.slug}/key`;

      const home = await get(app, `/admin/campaigns/${campaign.slug}`, cookie);
      expect(home.body).toContain(`href="${url}"`);
      expect(home.body).toContain(`/admin/campaigns/${campaign.slug}/team"`);

      const page = await get(app, url, cookie);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-key-state="none"');
      expect(page.body).toContain("This campaign has no coalition key yet");
      expect(page.body).toContain(escaped("the server never sees the private key or the passphrase"));
      expect(page.body).toContain("Keep copies of the file with two trusted coordinators");
      expect(page.body).toContain('id="key-maker"');
      expect(page.body).toContain(`src="${assetUrl("admin/create-coalition-key.js")}"`);
      // Inputs of the key maker carry no name: a stray submission could never send the passphrase.
      const maker = page.body.slice(
        page.body.indexOf('id="key-maker"'),
        page.body.indexOf("</form>", page.body.indexOf('id="key-maker"')),
      );
      expect(maker).toContain('id="new-passphrase"');
      expect(maker).not.toMatch(/<input[^>]* name=/);
      // libsodium as WebAssembly, nothing inline.
      const csp = String(page.headers["content-security-policy"]);
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain("unsafe-inline");
      expect((await get(app, "/admin/assets/libsodium-sumo.js", cookie)).statusCode).toBe(200);

      // Not a key: the typed value comes back with the translated reason.
      const typo = "not-a-key==";
      const bad = await post(app, url, cookie, page.body, { publicKey: typo });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain("This is not a public key made by undersigned keygen.");
      expect(bad.body).toContain(`value="${typo}"`);
      const short = await post(app, url, cookie, page.body, {
        publicKey: Buffer.alloc(31, 1).toString("base64"),
      });
      expect(short.statusCode).toBe(400);

      // Without the form's token: refused, the typed key kept, nothing set.
      const { publicKey } = await generateKeyPair();
      const forged = await app.inject({
        method: "POST",
        url,
        headers: { "content-type": FORM, cookie },
        payload: body({ publicKey }),
      });
      expect(forged.statusCode).toBe(403);
      expect(forged.body).toContain(`value="${publicKey}"`);
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();

      // A coordinator only proposes: nothing is sealed to the key until a second person confirms it.
      const proposed = await post(app, url, cookie, page.body, { publicKey });
      expect(proposed.statusCode).toBe(303);
      expect(proposed.headers.location).toBe(`${url}?notice=proposed`);
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();
      const waiting = await get(app, `${url}?notice=proposed`, cookie);
      expect(waiting.body).toContain("The key is proposed.");
      expect(waiting.body).toContain(
        `<code class="proposed-fingerprint">${keyFingerprint(publicKey)}</code>`,
      );
      expect(waiting.body).toContain("You proposed this key, so someone else confirms it");
      expect(waiting.body).not.toContain(`action="${url}/confirm"`);
      expect(waiting.body).not.toContain('id="key-paste-form"');
      // Posting the confirmation anyway: the proposer is refused, with the reason.
      const ownConfirm = await post(app, `${url}/confirm`, cookie, waiting.body, {
        fingerprint: keyFingerprint(publicKey),
      });
      expect(ownConfirm.statusCode).toBe(403);
      expect(ownConfirm.body).toContain("You proposed this key, so you cannot confirm it");
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();

      // A second coordinator sees the fingerprint and confirms it.
      const second = await coordinatorOf(campaign.id);
      const other = await signedIn(second);
      const toConfirm = await get(other.app, url, other.cookie);
      const { name } = await db
        .selectFrom("users")
        .select("name")
        .where("id", "=", coordinator.id)
        .executeTakeFirstOrThrow();
      expect(toConfirm.body).toContain(`${name} proposed a key with the fingerprint:`);
      expect(toConfirm.body).toContain(`action="${url}/confirm"`);
      expect(toConfirm.body).toContain(`name="fingerprint" value="${keyFingerprint(publicKey)}"`);
      // A fingerprint that is not the waiting proposal's (a page from before it was replaced) confirms nothing.
      const stale = await post(other.app, `${url}/confirm`, other.cookie, toConfirm.body, {
        fingerprint: "0000000000000000",
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain("That proposal is no longer waiting");
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();
      const saved = await post(other.app, `${url}/confirm`, other.cookie, toConfirm.body, {
        fingerprint: keyFingerprint(publicKey),
      });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`${url}?notice=saved`);
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: publicKey, demo_key: 0 });
      await other.app.close();

      const after = await get(app, `${url}?notice=saved`, cookie);
      expect(after.body).toContain("The coalition key has been set.");
      expect(after.body).toContain('data-key-state="real"');
      expect(after.body).toContain(`<code class="fingerprint">${keyFingerprint(publicKey)}</code>`);
      expect(after.body).toContain("Publish this fingerprint on the coalition");
      expect(after.body).toContain("0 undisclosed endorsements are sealed to it.");
      expect(after.body).not.toContain("data-key-proposal");
      expect(after.body).not.toContain('id="key-maker"');
      expect(after.body).not.toContain('id="key-paste-form"');
      expect(String(after.headers["content-security-policy"])).not.toContain("wasm-unsafe-eval");

      const audit = await db
        .selectFrom("audit_entries")
        .select(["actor_user_id", "action", "detail"])
        .where("action", "like", "campaign.%key%")
        .where("campaign_id", "=", campaign.id)
        .orderBy("id")
        .execute();
      expect(audit).toEqual([
        {
          actor_user_id: coordinator.id,
          action: "campaign.propose_key",
          detail: JSON.stringify({ fingerprint: keyFingerprint(publicKey) }),
        },
        {
          actor_user_id: second.id,
          action: "campaign.set_key",
          detail: JSON.stringify({ fingerprint: keyFingerprint(publicKey), proposed_by: coordinator.email }),
        },
      ]);
      await app.close();
    });

    it("lets any coordinator withdraw a proposal whose fingerprint is not the coalition's; an owner sets a key at once", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const proposer = await signedIn(await coordinatorOf(campaign.id));
      const url = `/admin/campaigns/${campaign.slug}/key`;
      const wrong = await generateKeyPair();
      const form = await get(proposer.app, url, proposer.cookie);
      expect(form.body).toContain("As a coordinator you propose the key");
      expect(form.body).toContain("Propose the public key");
      await post(proposer.app, url, proposer.cookie, form.body, { publicKey: wrong.publicKey });
      // While it waits, a second proposal is refused with the reason.
      const another = await generateKeyPair();
      const refused = await post(proposer.app, url, proposer.cookie, form.body, {
        publicKey: another.publicKey,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain("Another key is already waiting for confirmation.");
      await proposer.app.close();

      const second = await signedIn(await coordinatorOf(campaign.id));
      const page = await get(second.app, url, second.cookie);
      const withdrawn = await post(second.app, `${url}/withdraw`, second.cookie, page.body, {
        fingerprint: keyFingerprint(wrong.publicKey),
      });
      expect(withdrawn.statusCode).toBe(303);
      expect(withdrawn.headers.location).toBe(`${url}?notice=withdrawn`);
      const after = await get(second.app, `${url}?notice=withdrawn`, second.cookie);
      expect(after.body).toContain("The proposed key has been withdrawn");
      expect(after.body).not.toContain("data-key-proposal");
      expect(after.body).toContain('id="key-paste-form"');
      expect(
        await db
          .selectFrom("campaign_key_proposals")
          .selectAll()
          .where("campaign_id", "=", campaign.id)
          .execute(),
      ).toEqual([]);
      await second.app.close();

      const owner = await signedIn(await insertUser(store.current(), { role: "owner" }));
      const ownerPage = await get(owner.app, url, owner.cookie);
      expect(ownerPage.body).not.toContain("As a coordinator you propose the key");
      expect(ownerPage.body).toContain("Set the public key");
      const own = await generateKeyPair();
      const set = await post(owner.app, url, owner.cookie, ownerPage.body, { publicKey: own.publicKey });
      expect(set.headers.location).toBe(`${url}?notice=saved`);
      expect(await campaignKeyOf(db, campaign.id)).toEqual({ public_key: own.publicKey, demo_key: 0 });
      const actions = await db
        .selectFrom("audit_entries")
        .select("action")
        .where("campaign_id", "=", campaign.id)
        .where("action", "like", "campaign.%key%")
        .orderBy("id")
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        "campaign.propose_key",
        "campaign.withdraw_key_proposal",
        "campaign.set_key",
      ]);
      await owner.app.close();
    });

    it("keeps a real key: another is refused with the reason, and the first stays", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const first = await generateKeyPair();
      await db
        .updateTable("campaigns")
        .set({ public_key: first.publicKey })
        .where("id", "=", campaign.id)
        .execute();
      const letter = await insertLetter(db, { campaignId: campaign.id });
      await insertEndorsement(db, letter, first.publicKey, {
        name: "Quiet Group",
        visibility: "undisclosed",
      });
      const { app, cookie } = await signedIn(await coordinatorOf(campaign.id));
      const url = `/admin/campaigns/${campaign.slug}/key`;

      const page = await get(app, url, cookie);
      expect(page.body).toContain("A campaign keeps its key: it cannot be replaced.");
      expect(page.body).toContain(keyFingerprint(first.publicKey));
      expect(page.body).toContain("1 undisclosed endorsement is sealed to it.");

      const other = await generateKeyPair();
      const refused = await post(app, url, cookie, page.body, { publicKey: other.publicKey });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain(
        "This campaign already has its coalition key, and a campaign keeps its key.",
      );
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBe(first.publicKey);
      await app.close();
    });

    it("refuses a reviewer of the campaign and a coordinator of another one", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const elsewhere = await insertCampaign(db);
      const url = `/admin/campaigns/${campaign.slug}/key`;
      const { publicKey } = await generateKeyPair();

      for (const user of [
        await coordinatorOf(campaign.id, "reviewer"),
        await coordinatorOf(elsewhere.id, "coordinator"),
      ]) {
        const { app, cookie } = await signedIn(user);
        expect((await get(app, url, cookie)).statusCode).toBe(403);
        const own = await get(app, "/admin/campaigns", cookie);
        const refused = await post(app, url, cookie, own.body.includes("_csrf") ? own.body : "", {
          publicKey,
        });
        expect(refused.statusCode).toBe(403);
        await app.close();
      }
      const reviewer = await coordinatorOf(campaign.id, "reviewer");
      const { app, cookie } = await signedIn(reviewer);
      expect((await get(app, `/admin/campaigns/${campaign.slug}`, cookie)).body).not.toContain(
        `href="${url}"`,
      );
      await app.close();
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();
    });

    it("is refused by the command itself to a console actor who may not propose there; a coordinator only proposes", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const { publicKey } = await generateKeyPair();
      const actor = (role: "reviewer" | "coordinator", campaignId: number): Actor => ({
        userId: 1,
        role,
        label: "someone@example.org",
        campaigns: new Map([[campaignId, role]]),
      });
      for (const who of [actor("reviewer", campaign.id), actor("coordinator", campaign.id + 1000)]) {
        await expect(
          setCampaignKey(
            { store: store.current() },
            { campaignSlug: campaign.slug, publicKey, actor: who },
            new Date(),
          ),
        ).rejects.toMatchObject({ code: "forbidden" });
      }
      const done = await setCampaignKey(
        { store: store.current() },
        { campaignSlug: campaign.slug, publicKey, actor: actor("coordinator", campaign.id) },
        new Date(),
      );
      expect(done).toEqual({
        campaignId: campaign.id,
        fingerprint: keyFingerprint(publicKey),
        outcome: "proposed",
        replacedDemo: false,
      });
      expect((await campaignKeyOf(db, campaign.id)).public_key).toBeNull();
    });

    it("speaks Burmese to a Burmese coordinator", async () => {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const user = await insertUser(store.current(), {
        role: "coordinator",
        campaigns: [campaign.id],
        locale: "my",
      });
      const { app, cookie } = await signedIn(user);
      const page = await get(app, `/admin/campaigns/${campaign.slug}/key?lang=my`, cookie);
      expect(page.body).toContain("ညွန့်ပေါင်းသော့");
      expect(page.body).toContain("ဆာဗာသည် ကိုယ်ပိုင်သော့ကိုလည်း စကားဝှက်ကိုလည်း ဘယ်တော့မှ မမြင်ရပါ");
      await app.close();
    });
  });
}
