import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { insertUser, type TestUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { FORM, getAs, postFrom, signIn } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertCampaign, insertLetter } from "../../../../test/letter-factory.ts";
import { setCampaignKey } from "../../../commands/set-campaign-key.ts";
import { keyFingerprint } from "../../../crypto/key-fingerprint.ts";
import { generateKeyPair } from "../../../crypto/seal.ts";
import type { SignatureSource } from "../../../domain/signature-states.ts";
import type { Actor } from "../../../policies/actor.ts";
import type { Database } from "../../../store/schema.ts";

const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const escaped = (text: string) => text.replaceAll("'", "&#39;").replaceAll('"', "&quot;");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`a campaign's coalition key over HTTP on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    const get = getAs;

    const post = postFrom;

    const keyOf = async (db: Kysely<Database>, id: number) =>
      db
        .selectFrom("campaigns")
        .select(["public_key", "demo_key"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();

    /** A campaign with the example's DEMO key and one undisclosed endorsement of the given source sealed to it. */
    async function demoCampaign(db: Kysely<Database>, source: SignatureSource) {
      const campaign = await insertCampaign(db, { demoKey: true });
      const demo = await generateKeyPair();
      await db
        .updateTable("campaigns")
        .set({ public_key: demo.publicKey })
        .where("id", "=", campaign.id)
        .execute();
      const letter = await insertLetter(db, { campaignId: campaign.id });
      await insertEndorsement(db, letter, demo.publicKey, {
        name: "Example Network",
        visibility: "undisclosed",
        source,
      });
      return { ...campaign, demo };
    }

    async function coordinatorOf(campaignId: number, role: "coordinator" | "reviewer" = "coordinator") {
      return insertUser(store.current(), { role, campaigns: [campaignId] });
    }

    async function signedIn(user: TestUser) {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      return { app, cookie: await signIn(app, user) };
    }

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
      expect(page.body).toContain('src="/assets/admin/create-coalition-key.js"');
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
      expect((await keyOf(db, campaign.id)).public_key).toBeNull();

      const saved = await post(app, url, cookie, page.body, { publicKey });
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe(`${url}?notice=saved`);
      expect(await keyOf(db, campaign.id)).toEqual({ public_key: publicKey, demo_key: 0 });

      const after = await get(app, `${url}?notice=saved`, cookie);
      expect(after.body).toContain("The coalition key has been set.");
      expect(after.body).toContain('data-key-state="real"');
      expect(after.body).toContain(`<code class="fingerprint">${keyFingerprint(publicKey)}</code>`);
      expect(after.body).toContain("0 undisclosed endorsements are sealed to it.");
      expect(after.body).not.toContain('id="key-maker"');
      expect(after.body).not.toContain('id="key-paste-form"');
      expect(String(after.headers["content-security-policy"])).not.toContain("wasm-unsafe-eval");

      const audit = await db
        .selectFrom("audit_entries")
        .select(["actor_user_id", "actor_label", "detail"])
        .where("action", "=", "campaign.set_key")
        .where("campaign_id", "=", campaign.id)
        .execute();
      expect(audit).toEqual([
        {
          actor_user_id: coordinator.id,
          actor_label: coordinator.email,
          detail: JSON.stringify({ fingerprint: keyFingerprint(publicKey) }),
        },
      ]);
      await app.close();
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
      expect((await keyOf(db, campaign.id)).public_key).toBe(first.publicKey);
      await app.close();
    });

    it("says plainly what a DEMO key is, and replaces it while only the example's records are sealed to it", async () => {
      const { db } = store.current();
      const campaign = await demoCampaign(db, "example");
      const { app, cookie } = await signedIn(await coordinatorOf(campaign.id));
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
      expect(await keyOf(db, campaign.id)).toEqual({ public_key: own.publicKey, demo_key: 0 });
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
      expect(await keyOf(db, campaign.id)).toEqual({ public_key: campaign.demo.publicKey, demo_key: 1 });
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
      expect((await keyOf(db, campaign.id)).public_key).toBeNull();
    });

    it("is refused by the command itself to a console actor without campaign.edit there", async () => {
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
      expect(done).toMatchObject({
        campaignId: campaign.id,
        fingerprint: keyFingerprint(publicKey),
        replacedDemo: false,
      });
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
