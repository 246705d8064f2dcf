import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { asReviewerIn, consoleActor, joined } from "../../test/letter-drafts.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { matchKey } from "../domain/names.ts";
import type { Actor } from "../policies/actor.ts";
import { correctSignature } from "./correct-signature.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`correcting a listed endorsement on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let coordinator: Actor;
    beforeAll(async () => {
      coordinator = await consoleActor(store.current(), "coordinator");
    });

    it("fixes name (Zawgyi converted), category and country, recording which fields changed", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const id = await insertEndorsement(db, letter, letter.keyPair.publicKey, {
        name: "Karen Womens Organsation",
        state: "approved",
        category: "regional",
      });
      const result = await correctSignature(
        { store: store.current() },
        {
          actor: joined(coordinator, letter.campaignId),
          letterId: letter.id,
          signatureId: id,
          form: { name: "ျမန္မာ့အမ်ိဳးသမီးအဖြဲ႕", category: "Myanmar", country: "mm" },
        },
        now,
      );
      expect(result).toEqual({ changed: ["name", "category", "country"] });
      const row = await db
        .selectFrom("signatures")
        .select(["display_name", "match_key", "category", "country", "state"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        display_name: "မြန်မာ့အမျိုးသမီးအဖွဲ့",
        match_key: matchKey("မြန်မာ့အမျိုးသမီးအဖွဲ့"),
        category: "Myanmar",
        country: "MM",
        state: "approved",
      });
      const audit = await db
        .selectFrom("audit_entries")
        .select(["detail", "actor_label"])
        .where("action", "=", "signature.correct")
        .where("subject_id", "=", id)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail)).toEqual({ fields: "name,category,country" });
      expect(audit.actor_label).toBe((coordinator as { label: string }).label);
    });

    it("refuses a name another endorsement holds, an unknown category or country, and undisclosed ones", async () => {
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const key = letter.keyPair.publicKey;
      await insertEndorsement(db, letter, key, { name: "Athan", state: "approved" });
      const id = await insertEndorsement(db, letter, key, { name: "Athen" });
      const hidden = await insertEndorsement(db, letter, key, { name: "Secret", visibility: "undisclosed" });
      const deps = { store: store.current() };
      const correct = (signatureId: number, form: object) =>
        correctSignature(
          deps,
          { actor: joined(coordinator, letter.campaignId), letterId: letter.id, signatureId, form },
          now,
        );

      await expect(correct(id, { name: "ATHAN" })).rejects.toMatchObject({
        code: "validation",
        fields: { name: "corrections.nameTaken" },
      });
      await expect(correct(id, { name: "Athen", category: "galactic" })).rejects.toMatchObject({
        code: "validation",
        fields: { category: "sign.invalidChoice" },
      });
      await expect(correct(id, { name: "Athen", country: "XX" })).rejects.toMatchObject({
        code: "validation",
        fields: { country: "sign.invalidChoice" },
      });
      await expect(correct(hidden, { name: "Guess" })).rejects.toMatchObject({ code: "invalid_state" });
      await expect(
        correctSignature(
          deps,
          {
            actor: asReviewerIn(coordinator, letter.campaignId),
            letterId: letter.id,
            signatureId: id,
            form: { name: "X" },
          },
          now,
        ),
      ).rejects.toMatchObject({ code: "forbidden" });
      const row = await db
        .selectFrom("signatures")
        .select("display_name")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.display_name).toBe("Athen");
    });
  });
}
