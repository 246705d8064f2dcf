import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { sent, t0, useSignOn } from "../../test/sign-on-machine.ts";
import { approveSignature } from "./approve-signature.ts";
import { confirmSignature } from "./confirm-signature.ts";
import { correctListedName } from "./correct-listed-name.ts";
import { reviewNameChange } from "./review-name-change.ts";

/*
 * Listed names at sign-on, on both databases: duplicates across Zawgyi and Unicode, names confirmed but not
 * yet approved, two endorsements under one name, and corrections re-checked.
 */

// "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်" typed in Zawgyi (medials and vowel sign e stored before the consonant).
const ZAWGYI_NAME = "ျမန္မာ လူ႔အခြင့္အေရး ကြန္ရက္";
const UNICODE_NAME = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sign-on names on ${dialect.label}`, () => {
    const { store, deps, reviewer, sign, signature } = useSignOn(dialect.name);
    it("refuses a duplicate listed name typed in Zawgyi once the Unicode one is approved", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const first = await sign(letter.slug, { visibility: "listed", name: UNICODE_NAME });
      await confirmSignature(deps(), { slug: letter.slug, token: first.token }, t0);
      await approveSignature(
        deps(),
        { actor: joined(reviewer(), letter.campaignId), signatureId: sent(first.result).signatureId },
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
        { actor: joined(reviewer(), letter.campaignId), signatureId: sent(first.result).signatureId },
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
      // The endorsement is approved and public: the new name waits for review, the old one stays listed.
      expect(
        await correctListedName(deps(), { slug: letter.slug, manageToken, form: { name: "Typo Group" } }, t0),
      ).toMatchObject({ changed: true, awaitingReview: true });
      expect(await signature(receipt.signatureId)).toMatchObject({
        display_name: "Tpyo Group",
        match_key: "tpyo group",
        proposed_name: "Typo Group",
      });
      expect(
        await reviewNameChange(
          deps(),
          {
            actor: joined(reviewer(), letter.campaignId),
            letterId: letter.id,
            signatureId: receipt.signatureId,
            decision: "accept",
          },
          t0,
        ),
      ).toEqual({ outcome: "accepted" });
      expect(await signature(receipt.signatureId)).toMatchObject({
        display_name: "Typo Group",
        match_key: "typo group",
        proposed_name: null,
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
  });
}
