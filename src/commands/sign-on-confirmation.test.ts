import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { at, day, sent, t0, useSignOn } from "../../test/sign-on-machine.ts";
import { openReceiptSalt } from "../crypto/receipt-salt.ts";
import { openSealed } from "../crypto/seal.ts";
import { manageTokenFor } from "../crypto/signer-links.ts";
import { sha256 } from "../crypto/tokens.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { approveSignature } from "./approve-signature.ts";
import { confirmSignature } from "./confirm-signature.ts";
import { resendConfirmation } from "./resend-confirmation.ts";

/*
 * Confirming and approving endorsements, on both databases: one receipt however often confirmed, listing
 * with and without moderation, approvals refused or repeated, expired links and their resends.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sign-on confirmation and approval on ${dialect.label}`, () => {
    const { store, deps, reviewer, sign, tokenOf, signature } = useSignOn(dialect.name);
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
      expect(row.confirmed_at).toBe("2026-03-01T00:00:00.000Z");
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
        { actor: joined(reviewer(), moderated.campaignId), signatureId: sent(b.result).signatureId },
        t0,
      );
      expect((await countSignatures(store.current().db, [moderated.id])).get(moderated.id)!.listed).toBe(1);
    });

    it("refuses to approve an unconfirmed endorsement, and approving twice changes nothing", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Waiting Group" });
      const id = sent(result).signatureId;
      await expect(
        approveSignature(deps(), { actor: joined(reviewer(), letter.campaignId), signatureId: id }, t0),
      ).rejects.toMatchObject({
        code: "invalid_state",
      });
      await confirmSignature(deps(), { slug: letter.slug, token }, t0);
      expect(
        await approveSignature(deps(), { actor: joined(reviewer(), letter.campaignId), signatureId: id }, t0),
      ).toMatchObject({
        changed: true,
        to: "approved",
      });
      expect(
        await approveSignature(deps(), { actor: joined(reviewer(), letter.campaignId), signatureId: id }, t0),
      ).toMatchObject({
        changed: false,
      });
      expect((await countSignatures(store.current().db, [letter.id])).get(letter.id)).toMatchObject({
        total: 1,
        undisclosed: 1,
      });
      await expect(
        approveSignature(deps(), { actor: { ...reviewer(), role: "owner" }, signatureId: 999_999 }, t0),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("refuses an expired link with an offer to resend, limited per endorsement", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const { result, token } = await sign(letter.slug, { visibility: "undisclosed", name: "Slow Office" });
      // Signed at 09:00 on 1 March: the link runs until the end of 8 March, and not a moment longer.
      const expiry = new Date("2026-03-09T00:00:00.000Z");
      expect(await confirmSignature(deps(), { slug: letter.slug, token }, expiry)).toEqual({
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
      // The receipt's salt followed the link: the new manage link opens it, the old one no longer does.
      const { receipt_salt_box: box, sealed_identity } = await signature(sent(result).signatureId);
      const salt = openReceiptSalt(box!, manageTokenFor(deps().secret, fresh));
      expect(Buffer.from(salt!).toString("base64")).toBe(
        JSON.parse(await openSealed(sealed_identity!, letter.keyPair)).salt,
      );
      expect(openReceiptSalt(box!, manageTokenFor(deps().secret, token))).toBeNull();
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
  });
}
