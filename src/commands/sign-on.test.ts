import { beforeAll, describe, expect, it } from "vitest";
import { commandDeps, insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { openSealed } from "../crypto/seal.ts";
import { sha256 } from "../crypto/tokens.ts";
import type { Actor } from "../policies/actor.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { setSetting } from "../store/settings.ts";
import { approveSignature } from "./approve-signature.ts";
import { confirmSignature } from "./confirm-signature.ts";
import { correctListedName } from "./correct-listed-name.ts";
import { rejectSignature } from "./reject-signature.ts";
import { resendConfirmation } from "./resend-confirmation.ts";
import { type SignLetterResult, signLetter } from "./sign-letter.ts";
import { withdrawSignature } from "./withdraw-signature.ts";

const day = 24 * 60 * 60 * 1000;
const t0 = new Date("2026-03-01T09:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

// "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်" typed in Zawgyi (medials and vowel sign e stored before the consonant).
const ZAWGYI_NAME = "ျမန္မာ လူ႔အခြင့္အေရး ကြန္ရက္";
const UNICODE_NAME = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sign-on state machine on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    let ipCounter = 0;
    let reviewer: Exclude<Actor, "cli">;
    beforeAll(async () => {
      const user = await insertUser(store.current(), { role: "reviewer" });
      reviewer = { userId: user.id, role: "reviewer", label: user.email, campaigns: new Map() };
    });

    /** Signs and pulls the confirmation token out of the queued mail, as the signer would from their inbox. */
    async function sign(slug: string, form: Record<string, string>, now = t0) {
      const result = await signLetter(
        deps(),
        {
          slug,
          form: { consent: "yes", email: "office@example.org", ...form },
          locale: "en",
          ip: `192.0.2.${++ipCounter % 250}`,
        },
        now,
      );
      return { result, token: result.outcome === "sent" ? await tokenOf(result.signatureId) : "" };
    }

    async function tokenOf(_signatureId: number): Promise<string> {
      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select("text_body")
        .where("purpose", "=", "confirmation")
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      return /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    }

    const signature = (id: number) =>
      store.current().db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const sent = (r: SignLetterResult) => {
      if (r.outcome !== "sent") throw new Error(`expected sent, got ${JSON.stringify(r)}`);
      return r;
    };

    it("stores a listed endorsement's public name and key, seals its contact, and mails a 7-day link", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, {
        visibility: "listed",
        name: "  Karen  Human Rights Group ",
        category: "Myanmar",
        country: "MM",
        website: "khrg.example.org",
        contact_person: "Naw Paw",
      });
      const row = await signature(sent(result).signatureId);
      expect(row).toMatchObject({
        state: "unconfirmed",
        display_name: "Karen Human Rights Group",
        match_key: "karen human rights group",
        category: "Myanmar",
        country: "MM",
        website: "https://khrg.example.org",
        sealed_identity: null,
        confirm_token_hash: sha256(token),
        confirm_expires_at: at(7 * day).toISOString(),
      });
      expect(JSON.parse(await openSealed(row.sealed_contact!, letter.keyPair))).toEqual({
        v: 1,
        contact_person: "Naw Paw",
        email: "office@example.org",
      });
      const mail = await store
        .current()
        .db.selectFrom("outbox_messages")
        .selectAll()
        .orderBy("id", "desc")
        .executeTakeFirstOrThrow();
      expect(mail.to_address).toBe("office@example.org");
      expect(mail.text_body).toContain("valid for 7 days");
      expect(mail.text_body).not.toContain("Karen");
    });

    it("keeps nothing of an undisclosed endorsement in the clear, and no value derived from it", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result } = await sign(letter.slug, {
        visibility: "undisclosed",
        name: "Secret Sangha Network",
        category: "Myanmar",
        country: "MM",
        website: "https://secret.example.org",
        contact_person: "U Hidden",
      });
      const row = await signature(sent(result).signatureId);
      expect(row).toMatchObject({
        display_name: null,
        display_name_alt: null,
        match_key: null,
        category: null,
        country: null,
        website: null,
      });
      expect(JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair))).toEqual({
        v: 1,
        kind: "organisation",
        name: "Secret Sangha Network",
        website: "https://secret.example.org",
        category: "Myanmar",
        country: "MM",
      });
      const audit = JSON.stringify(
        await store.current().db.selectFrom("audit_entries").selectAll().execute(),
      );
      const limits = JSON.stringify(await store.current().db.selectFrom("rate_limits").selectAll().execute());
      for (const text of [audit, limits]) {
        expect(text).not.toMatch(/Secret|Sangha|U Hidden|office@example/);
        expect(text).not.toContain(sha256("office@example.org").slice(0, 16));
      }
    });

    it("confirms once and shows the same receipt on every later visit; an undisclosed one waits for review", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Quiet Group" });
      const first = await confirmSignature(deps(), { slug: letter.slug, token }, at(60_000));
      const second = await confirmSignature(deps(), { slug: letter.slug, token }, at(120_000));
      expect(first).toMatchObject({ outcome: "receipt", state: "confirmed", changed: true });
      expect(second).toMatchObject({ outcome: "receipt", state: "confirmed", changed: false });
      expect(second.outcome === "receipt" && first.outcome === "receipt" && second.manageToken).toBe(
        first.outcome === "receipt" && first.manageToken,
      );
      const row = await signature(sent(result).signatureId);
      expect(row.confirmed_at).toBe(at(60_000).toISOString());
      expect((await countSignatures(store.current().db, [letter.id])).get(letter.id)!.total).toBe(0);
    });

    it("lists a listed endorsement at confirmation without moderation, and only after approval with it", async () => {
      const open = await insertSignableLetter(store.current().db, { moderation: false });
      const moderated = await insertSignableLetter(store.current().db, { moderation: true });
      const a = await sign(open.slug, { visibility: "listed", name: "Open Letters Collective" });
      const b = await sign(moderated.slug, { visibility: "listed", name: "Open Letters Collective" });
      expect(await confirmSignature(deps(), { slug: open.slug, token: a.token }, t0)).toMatchObject({
        state: "approved",
      });
      expect(await confirmSignature(deps(), { slug: moderated.slug, token: b.token }, t0)).toMatchObject({
        state: "confirmed",
      });
      const counts = await countSignatures(store.current().db, [open.id, moderated.id]);
      expect(counts.get(open.id)!.listed).toBe(1);
      expect(counts.get(moderated.id)!.listed).toBe(0);
      await approveSignature(
        deps(),
        { actor: joined(reviewer, moderated.campaignId), signatureId: sent(b.result).signatureId },
        t0,
      );
      expect((await countSignatures(store.current().db, [moderated.id])).get(moderated.id)!.listed).toBe(1);
    });

    it("refuses to approve an unconfirmed endorsement, and approving twice changes nothing", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Waiting Group" });
      const id = sent(result).signatureId;
      await expect(
        approveSignature(deps(), { actor: joined(reviewer, letter.campaignId), signatureId: id }, t0),
      ).rejects.toMatchObject({
        code: "invalid_state",
      });
      await confirmSignature(deps(), { slug: letter.slug, token }, t0);
      expect(
        await approveSignature(deps(), { actor: joined(reviewer, letter.campaignId), signatureId: id }, t0),
      ).toMatchObject({
        changed: true,
        to: "approved",
      });
      expect(
        await approveSignature(deps(), { actor: joined(reviewer, letter.campaignId), signatureId: id }, t0),
      ).toMatchObject({
        changed: false,
      });
      expect((await countSignatures(store.current().db, [letter.id])).get(letter.id)).toMatchObject({
        total: 1,
        undisclosed: 1,
      });
      await expect(
        approveSignature(deps(), { actor: { ...reviewer, role: "owner" }, signatureId: 999_999 }, t0),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("refuses an expired link with an offer to resend, limited per endorsement", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Slow Office" });
      expect(await confirmSignature(deps(), { slug: letter.slug, token }, at(7 * day + 1))).toEqual({
        outcome: "expired",
        signatureId: sent(result).signatureId,
      });
      await expect(
        resendConfirmation(
          deps(),
          { slug: letter.slug, token, email: "new@example.org", locale: "my", ip: "198.51.100.1" },
          at(6 * day),
        ),
      ).rejects.toMatchObject({ code: "token_invalid" });
      expect(
        await resendConfirmation(
          deps(),
          { slug: letter.slug, token, email: "new@example.org", locale: "my", ip: "198.51.100.1" },
          at(8 * day),
        ),
      ).toEqual({ outcome: "sent" });
      const fresh = await tokenOf(0);
      expect(fresh).not.toBe(token);
      // The old link died with the resend; the new one confirms.
      await expect(confirmSignature(deps(), { slug: letter.slug, token }, at(8 * day))).rejects.toMatchObject(
        { code: "token_invalid" },
      );
      expect(await confirmSignature(deps(), { slug: letter.slug, token: fresh }, at(8 * day))).toMatchObject({
        state: "confirmed",
      });
      await expect(
        resendConfirmation(
          deps(),
          { slug: letter.slug, token: fresh, email: "x@example.org", locale: "en", ip: "198.51.100.1" },
          at(20 * day),
        ),
      ).rejects.toMatchObject({ code: "token_invalid" });
    });

    it("allows three resends per endorsement a day", async () => {
      const letter = await insertSignableLetter(store.current().db);
      let { token } = await sign(letter.slug, { visibility: "listed", name: "Resending Office" });
      const outcomes: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await resendConfirmation(
          deps(),
          { slug: letter.slug, token, email: "a@example.org", locale: "en", ip: `203.0.113.${i}` },
          at(8 * day + i * 1000),
        );
        outcomes.push(r.outcome);
        if (r.outcome === "sent") {
          token = await tokenOf(0);
          // Let the new link run out too, so it may be resent again.
          await store
            .current()
            .db.updateTable("signatures")
            .set({ confirm_expires_at: t0.toISOString() })
            .where("confirm_token_hash", "=", sha256(token))
            .execute();
        }
      }
      expect(outcomes).toEqual(["sent", "sent", "sent", "rate_limited"]);
    });

    it("refuses a duplicate listed name typed in Zawgyi once the Unicode one is approved", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const first = await sign(letter.slug, { visibility: "listed", name: UNICODE_NAME });
      await confirmSignature(deps(), { slug: letter.slug, token: first.token }, t0);
      await approveSignature(
        deps(),
        { actor: joined(reviewer, letter.campaignId), signatureId: sent(first.result).signatureId },
        t0,
      );
      const { result } = await sign(letter.slug, { visibility: "listed", name: ZAWGYI_NAME });
      // The converted name is shown for checking first; sending the converted text is refused as a duplicate.
      expect(result).toEqual({ outcome: "check", converted: { name: UNICODE_NAME } });
      const again = await sign(letter.slug, { visibility: "listed", name: UNICODE_NAME.replace(/ /g, "  ") });
      expect(again.result).toEqual({ outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } });
    });

    it("does not tell the sign form about a name that is confirmed but not yet approved", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const first = await sign(letter.slug, { visibility: "listed", name: "Delta Rights Forum" });
      expect(await confirmSignature(deps(), { slug: letter.slug, token: first.token }, t0)).toMatchObject({
        state: "confirmed",
      });
      const probe = await sign(letter.slug, { visibility: "listed", name: "delta rights forum" });
      expect(probe.result.outcome).toBe("sent");
      await approveSignature(
        deps(),
        { actor: joined(reviewer, letter.campaignId), signatureId: sent(first.result).signatureId },
        t0,
      );
      const after = await sign(letter.slug, { visibility: "listed", name: "Delta Rights Forum" });
      expect(after.result).toEqual({ outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } });
    });

    it("settles two unconfirmed endorsements under one name at confirmation: the first to confirm holds it", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const squatter = await sign(letter.slug, { visibility: "listed", name: "Civic Forum" });
      const real = await sign(letter.slug, { visibility: "listed", name: "civic forum!" });
      expect(await confirmSignature(deps(), { slug: letter.slug, token: real.token }, t0)).toMatchObject({
        state: "confirmed",
      });
      expect(await confirmSignature(deps(), { slug: letter.slug, token: squatter.token }, t0)).toMatchObject({
        outcome: "name_taken",
      });
    });

    it("withdraws through the manage link: the endorsement stops counting and its name leaves the list", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const { token } = await sign(letter.slug, {
        visibility: "listed",
        name: "Leaving Group",
        updates: "yes",
      });
      const receipt = await confirmSignature(deps(), { slug: letter.slug, token }, t0);
      if (receipt.outcome !== "receipt") throw new Error("no receipt");
      expect((await countSignatures(store.current().db, [letter.id])).get(letter.id)!.total).toBe(1);
      expect(
        await withdrawSignature(deps(), { slug: letter.slug, manageToken: receipt.manageToken }, at(1000)),
      ).toMatchObject({ changed: true, to: "withdrawn" });
      expect(
        await withdrawSignature(deps(), { slug: letter.slug, manageToken: receipt.manageToken }, at(2000)),
      ).toMatchObject({ changed: false });
      expect((await countSignatures(store.current().db, [letter.id])).get(letter.id)!.total).toBe(0);
      // Whoever withdraws has also stopped wanting the letter's news: the address they gave for it goes.
      expect(
        await store
          .current()
          .db.selectFrom("signatures")
          .select(["updates_email", "updates_token_hash"])
          .where("id", "=", receipt.signatureId)
          .executeTakeFirstOrThrow(),
      ).toEqual({ updates_email: null, updates_token_hash: null });
      await expect(
        approveSignature(
          deps(),
          { actor: joined(reviewer, letter.campaignId), signatureId: receipt.signatureId },
          t0,
        ),
      ).rejects.toMatchObject({ code: "invalid_state" });
      await expect(
        withdrawSignature(deps(), { slug: letter.slug, manageToken: "not-a-token" }, t0),
      ).rejects.toMatchObject({ code: "token_invalid" });
      // Its name is free again.
      expect((await sign(letter.slug, { visibility: "listed", name: "Leaving Group" })).result.outcome).toBe(
        "sent",
      );
    });

    it("corrects a listed name, re-checking duplicates; undisclosed endorsements have no name to correct", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const other = await sign(letter.slug, { visibility: "listed", name: "Taken Name" });
      await confirmSignature(deps(), { slug: letter.slug, token: other.token }, t0);
      const mine = await sign(letter.slug, { visibility: "listed", name: "Tpyo Group" });
      const receipt = await confirmSignature(deps(), { slug: letter.slug, token: mine.token }, t0);
      if (receipt.outcome !== "receipt") throw new Error("no receipt");
      const manageToken = receipt.manageToken;
      expect(
        await correctListedName(deps(), { slug: letter.slug, manageToken, form: { name: "taken name" } }, t0),
      ).toEqual({
        outcome: "invalid",
        problems: { name: { key: "sign.alreadySigned" } },
      });
      expect(
        await correctListedName(deps(), { slug: letter.slug, manageToken, form: { name: "Typo Group" } }, t0),
      ).toMatchObject({ changed: true });
      expect(await signature(receipt.signatureId)).toMatchObject({
        display_name: "Typo Group",
        match_key: "typo group",
      });

      const hidden = await sign(letter.slug, { visibility: "undisclosed", name: "Hidden" });
      const hiddenReceipt = await confirmSignature(deps(), { slug: letter.slug, token: hidden.token }, t0);
      if (hiddenReceipt.outcome !== "receipt") throw new Error("no receipt");
      await expect(
        correctListedName(
          deps(),
          { slug: letter.slug, manageToken: hiddenReceipt.manageToken, form: { name: "X" } },
          t0,
        ),
      ).rejects.toMatchObject({ code: "invalid_state" });
    });

    it("rejects, sealing the reason of an undisclosed endorsement", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Fake Org" });
      await confirmSignature(deps(), { slug: letter.slug, token }, t0);
      const id = sent(result).signatureId;
      await expect(
        rejectSignature(deps(), { actor: "cli", signatureId: id, reason: "x".repeat(501) }, t0),
      ).rejects.toMatchObject({ code: "validation" });
      expect(
        await rejectSignature(
          deps(),
          { actor: joined(reviewer, letter.campaignId), signatureId: id, reason: "Fake Org is not real" },
          t0,
        ),
      ).toMatchObject({ to: "rejected" });
      const row = await signature(id);
      expect(row.reject_reason).not.toContain("Fake");
      expect(await openSealed(row.reject_reason!, letter.keyPair)).toBe("Fake Org is not real");
    });

    it("closes after the deadline, while paused, for drafts, and without a campaign key", async () => {
      const db = store.current().db;
      const late = await insertSignableLetter(db, { deadline: at(day).toISOString() });
      expect(
        (await sign(late.slug, { visibility: "listed", name: "Early" }, at(day - 1))).result.outcome,
      ).toBe("sent");
      expect((await sign(late.slug, { visibility: "listed", name: "Late" }, at(day))).result).toEqual({
        outcome: "closed",
        reason: "deadline_passed",
      });

      const paused = await insertSignableLetter(db);
      await setSetting(db, "signing_paused", "1", t0);
      expect((await sign(paused.slug, { visibility: "listed", name: "Paused" })).result).toEqual({
        outcome: "closed",
        reason: "paused",
      });
      await setSetting(db, "signing_paused", "0", t0);
      expect((await sign(paused.slug, { visibility: "listed", name: "Paused" })).result.outcome).toBe("sent");

      const keyless = await insertSignableLetter(db);
      await db
        .updateTable("campaigns")
        .set({ public_key: null })
        .where("id", "=", keyless.campaignId)
        .execute();
      expect((await sign(keyless.slug, { visibility: "listed", name: "No key" })).result).toEqual({
        outcome: "closed",
        reason: "needs_key",
      });

      const draft = await insertSignableLetter(db, { state: "draft" });
      expect((await sign(draft.slug, { visibility: "listed", name: "Draft" })).result).toEqual({
        outcome: "not_found",
      });
      const privately = await insertSignableLetter(db, { state: "collecting" });
      expect((await sign(privately.slug, { visibility: "listed", name: "No link" })).result).toEqual({
        outcome: "not_found",
      });
    });

    it("validates every field with its size, and accepts boxes sealed in the browser", async () => {
      const letter = await insertSignableLetter(store.current().db, {
        requiredFields: ["country", "contact_person"],
      });
      const { result } = await sign(letter.slug, {
        visibility: "maybe",
        name: "x".repeat(201),
        email: "not an address",
        category: "Elsewhere",
        website: "javascript:alert(1)",
        consent: "",
        sealed_contact: "bm90IGEgYm94",
      });
      expect(result).toEqual({
        outcome: "invalid",
        problems: {
          visibility: { key: "sign.chooseVisibility" },
          name: { key: "field.tooLong", params: { max: 200 } },
          email: { key: "field.email" },
          website: { key: "sign.invalidWebsite" },
          consent: { key: "sign.consentRequired" },
          sealed_contact: { key: "sign.invalidSealed" },
        },
      });
      const { seal } = await import("../crypto/seal.ts");
      const box = await seal(JSON.stringify({ v: 1, name: "Browser Sealed" }), letter.keyPair.publicKey);
      const contact = await seal(JSON.stringify({ v: 1, email: "b@example.org" }), letter.keyPair.publicKey);
      const browser = await sign(letter.slug, {
        visibility: "undisclosed",
        sealed_identity: box,
        sealed_contact: contact,
        email: "b@example.org",
      });
      const row = await signature(sent(browser.result).signatureId);
      expect(row.sealed_identity).toBe(box);
      expect(row.sealed_contact).toBe(contact);
    });
  });
}
