import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { at, day, sent, t0, useSignOn } from "../../test/sign-on-machine.ts";
import { openSealed } from "../crypto/seal.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { setSetting } from "../store/settings.ts";
import { approveSignature } from "./approve-signature.ts";
import { confirmSignature } from "./confirm-signature.ts";
import { rejectSignature } from "./reject-signature.ts";
import { withdrawSignature } from "./withdraw-signature.ts";

/*
 * The end of an endorsement or of signing, on both databases: withdrawal through the manage link, rejection
 * with an undisclosed reason sealed, and a letter closed by its deadline, a pause, its draft state or a
 * missing campaign key.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sign-on withdrawal, rejection and closing on ${dialect.label}`, () => {
    const { store, deps, reviewer, sign, signature } = useSignOn(dialect.name);
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
          { actor: joined(reviewer(), letter.campaignId), signatureId: receipt.signatureId },
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
          { actor: joined(reviewer(), letter.campaignId), signatureId: id, reason: "Fake Org is not real" },
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
  });
}
