import { beforeAll, describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertSignatures } from "../../test/letter-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { thresholdSigner } from "../../test/threshold-signer.ts";
import { matchKey } from "../domain/names.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { parseEntry, recountLetter, WITHDRAWAL_TYPE } from "../domain/tlog/entries.ts";
import { countSignatures } from "../queries/count-signatures.ts";
import { ensureLogKey } from "../store/transparency-log.ts";
import { changeListingCondition } from "./change-listing-condition.ts";
import { integrateLog } from "./integrate-log.ts";
import { listThresholdEndorsements } from "./list-threshold-endorsements.ts";
import { withdrawSignature } from "./withdraw-signature.ts";

const t0 = new Date("2027-03-01T09:00:00.000Z");
const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`threshold disclosure on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    const signer = thresholdSigner(() => store.current(), deps);
    const signWithCondition = (slug: string, name: string, fields: Record<string, string>) =>
      signer(slug, name, fields, t0);

    beforeAll(async () => {
      await ensureLogKey(store.current().db, { origin: "example.org/log", configuredKey: undefined }, t0);
    });

    const row = (id: number) =>
      store.current().db.selectFrom("signatures").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const counts = async (letterId: number) =>
      (await countSignatures(store.current().db, [letterId])).get(letterId);

    it("waits until N others are listed, then the coalition lists it: approved, named, moved to the listed count", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      const signed = await signWithCondition(letter.slug, "Rangoon Teachers Union", { threshold: "3" });
      expect(await row(signed.id)).toMatchObject({
        visibility: "undisclosed",
        state: "confirmed",
        disclose_threshold: 3,
        display_name: null,
      });
      await insertSignatures(store.current().db, letter, [{}, {}]);
      const list = (now = t0) =>
        listThresholdEndorsements(
          deps(),
          {
            actor: "cli",
            letterId: letter.id,
            endorsements: [{ signatureId: signed.id, name: "Rangoon Teachers Union", country: "MM" }],
          },
          now,
        );
      // Two listed are not three: the coordinator cannot list the name early.
      expect((await list()).results).toEqual([{ signatureId: signed.id, outcome: "not_met" }]);
      expect((await row(signed.id)).visibility).toBe("undisclosed");
      await insertSignatures(store.current().db, letter, [{ displayName: "Third Listed" }]);
      await integrateLog({ db: store.current().db, signer: await logSigner() }, t0);
      expect(await counts(letter.id)).toMatchObject({ total: 3, listed: 3, undisclosed: 0 });

      expect((await list(later(1))).results).toEqual([{ signatureId: signed.id, outcome: "listed" }]);
      expect(await row(signed.id)).toMatchObject({
        visibility: "listed",
        state: "approved",
        counted: 1,
        display_name: "Rangoon Teachers Union",
        match_key: matchKey("Rangoon Teachers Union"),
        country: "MM",
        disclosed_on: "2027-03-02",
      });
      expect(await counts(letter.id)).toMatchObject({ total: 4, listed: 4, undisclosed: 0 });
      // Listing twice is refused: it is no longer waiting.
      expect((await list(later(1))).results[0]!.outcome).toBe("not_waiting");
      // The signer can no longer change the condition of a listed name.
      expect(
        (
          await changeListingCondition(
            deps(),
            { slug: letter.slug, manageToken: signed.manageToken, choice: "undisclosed" },
            later(2),
          )
        ).outcome,
      ).toBe("not_changeable");
    });

    it("logs a disclosure as the withdrawal of the undisclosed entry and a new listed one", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      await insertSignatures(store.current().db, letter, [{}]);
      const signed = await signWithCondition(letter.slug, "Mandalay Lawyers Network", { threshold: "1" });
      // Approved by a review first: it counts, undisclosed, and the log holds it so.
      await store
        .current()
        .db.updateTable("signatures")
        .set({ state: "approved", counted: 1 })
        .where("id", "=", signed.id)
        .execute();
      const signer = await logSigner();
      await integrateLog({ db: store.current().db, signer }, t0);
      const recount = async () => {
        const entries = await store
          .current()
          .db.selectFrom("log_entries")
          .select(["idx", "entry", "letter_id"])
          .orderBy("idx")
          .execute();
        const name = (
          await store
            .current()
            .db.selectFrom("letters")
            .select("log_name")
            .where("id", "=", letter.id)
            .executeTakeFirstOrThrow()
        ).log_name!;
        return {
          entries: entries.filter((e) => e.letter_id === letter.id).map((e) => parseEntry(utf8(e.entry))),
          counts: recountLetter(
            entries.map((e) => utf8(e.entry)),
            name,
          ).counts,
        };
      };
      expect((await recount()).counts).toMatchObject({ total: 2, listed: 1, undisclosed: 1 });
      await listThresholdEndorsements(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [{ signatureId: signed.id, name: "Mandalay Lawyers Network" }],
        },
        later(1),
      );
      await integrateLog({ db: store.current().db, signer }, later(1));
      const after = await recount();
      expect(after.counts).toMatchObject({ total: 2, listed: 2, undisclosed: 0 });
      expect(after.entries.filter((e) => e?.type === WITHDRAWAL_TYPE)).toHaveLength(1);
      // Once caught up, the next run finds nothing to add.
      expect((await integrateLog({ db: store.current().db, signer }, later(1))).appended).toBe(0);
    });

    it("lists from the signer's day, holds a name the letter already holds, and skips a withdrawn one", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      await insertSignatures(store.current().db, letter, [{ displayName: "Karen Women Org" }]);
      await store
        .current()
        .db.updateTable("signatures")
        .set({ match_key: matchKey("Karen Women Org") })
        .where("letter_id", "=", letter.id)
        .execute();
      const byDay = await signWithCondition(letter.slug, "Chin Youth", {
        threshold: "100",
        disclose_on: "2027-03-05",
      });
      const duplicate = await signWithCondition(letter.slug, "Karen Women Org", { threshold: "1" });
      const gone = await signWithCondition(letter.slug, "Shan Farmers", { threshold: "1" });
      await withdrawSignature(deps(), { slug: letter.slug, manageToken: gone.manageToken }, t0);
      const list = (now: Date) =>
        listThresholdEndorsements(
          deps(),
          {
            actor: "cli",
            letterId: letter.id,
            endorsements: [
              { signatureId: byDay.id, name: "Chin Youth" },
              { signatureId: duplicate.id, name: "Karen Women Org" },
              { signatureId: gone.id, name: "Shan Farmers" },
            ],
          },
          now,
        );
      const outcomes = async (now: Date) =>
        Object.fromEntries((await list(now)).results.map((r) => [r.signatureId, r.outcome]));
      expect(await outcomes(later(3))).toEqual({
        [byDay.id]: "not_met",
        [duplicate.id]: "held",
        [gone.id]: "not_waiting",
      });
      expect(await outcomes(later(4))).toMatchObject({ [byDay.id]: "listed", [duplicate.id]: "held" });
      expect((await row(duplicate.id)).visibility).toBe("undisclosed");
    });

    it("leaves out a public field the sign form would have refused, and reports a name that cannot be shown", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      const fine = await signWithCondition(letter.slug, "Irrawaddy Fishers", { threshold: "0" }).catch(
        () => undefined,
      );
      // The sign form takes 1 at least; "list us now" (0) comes from the manage page only.
      expect(fine).toBeUndefined();
      const sloppy = await signWithCondition(letter.slug, "Irrawaddy Fishers", { threshold: "1" });
      const broken = await signWithCondition(letter.slug, "Broken Name Org", { threshold: "1" });
      await insertSignatures(store.current().db, letter, [{}]);
      const { results } = await listThresholdEndorsements(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [
            { signatureId: sloppy.id, name: "Irrawaddy Fishers", website: "not a site", country: "XX" },
            { signatureId: broken.id, name: "\u0007\u0007" },
          ],
        },
        later(1),
      );
      expect(Object.fromEntries(results.map((r) => [r.signatureId, r.outcome]))).toEqual({
        [sloppy.id]: "listed",
        [broken.id]: "invalid",
      });
      expect(await row(sloppy.id)).toMatchObject({
        display_name: "Irrawaddy Fishers",
        website: null,
        country: null,
      });
      expect((await row(broken.id)).visibility).toBe("undisclosed");
    });

    it("lets the signer change the condition or drop it, kept to the day, and refuses a bad number", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      const signed = await signWithCondition(letter.slug, "Kachin Relief", {});
      expect((await row(signed.id)).disclose_threshold).toBe(50);
      const change = (choice: Parameters<typeof changeListingCondition>[1]) =>
        changeListingCondition(deps(), choice, new Date("2027-03-03T17:42:11.000Z"));
      const base = { slug: letter.slug, manageToken: signed.manageToken };
      await expect(change({ ...base, choice: "threshold", threshold: "0" })).rejects.toMatchObject({
        code: "validation",
        fields: { threshold: "sign.thresholdInvalid" },
      });
      await change({ ...base, choice: "threshold", threshold: "20", disclose_on: "2027-09-01" });
      expect(await row(signed.id)).toMatchObject({
        disclose_threshold: 20,
        disclose_on: "2027-09-01",
        updated_at: "2027-03-03T00:00:00.000Z",
      });
      await change({ ...base, choice: "undisclosed" });
      expect(await row(signed.id)).toMatchObject({
        disclose_threshold: null,
        disclose_on: null,
        visibility: "undisclosed",
      });
      // "List us now": a condition met at once, so the coalition lists the name it verified, with nobody else listed.
      await change({ ...base, choice: "listed" });
      expect(await row(signed.id)).toMatchObject({ disclose_threshold: 0, visibility: "undisclosed" });
      await change({ ...base, choice: "undisclosed" });
      // Without a condition there is nothing to list.
      const listed = await listThresholdEndorsements(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [{ signatureId: signed.id, name: "Kachin Relief" }],
        },
        later(400),
      );
      expect(listed.results[0]!.outcome).toBe("not_waiting");
      await change({ ...base, choice: "listed" });
      const now = await listThresholdEndorsements(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          endorsements: [{ signatureId: signed.id, name: "Kachin Relief" }],
        },
        later(3),
      );
      expect(now.results[0]!.outcome).toBe("listed");
      expect(await counts(letter.id)).toMatchObject({ total: 1, listed: 1, undisclosed: 0 });
    });

    async function logSigner() {
      return (
        await ensureLogKey(store.current().db, { origin: "example.org/log", configuredKey: undefined }, t0)
      ).signer;
    }
  });
}
