import { describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { listDuplicateSuggestions } from "../queries/list-duplicate-suggestions.ts";
import { confirmSignature } from "./confirm-signature.ts";
import { correctListedName } from "./correct-listed-name.ts";
import { signLetter } from "./sign-letter.ts";

const t0 = new Date("2026-03-01T09:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`impostor names on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());
    let ip = 0;
    const seenMails = new Set<number | string>();

    async function sign(slug: string, name: string) {
      return signLetter(
        deps(),
        {
          slug,
          form: { consent: "yes", email: "office@example.org", visibility: "listed", name },
          locale: "en",
          ip: `198.51.100.${++ip % 250}`,
        },
        t0,
      );
    }

    const confirmationMails = () =>
      store
        .current()
        .db.selectFrom("outbox_messages")
        .select(["id", "text_body"])
        .where("purpose", "=", "confirmation")
        .execute();

    async function signAndConfirm(slug: string, name: string) {
      for (const mail of await confirmationMails()) seenMails.add(mail.id);
      const result = await sign(slug, name);
      if (result.outcome !== "sent") throw new Error(`not sent: ${JSON.stringify(result)}`);
      const fresh = (await confirmationMails()).filter((m) => !seenMails.has(m.id));
      expect(fresh).toHaveLength(1);
      seenMails.add(fresh[0]!.id);
      const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(fresh[0]!.text_body)![1]!;
      const receipt = await confirmSignature(deps(), { slug, token }, t0);
      if (receipt.outcome !== "receipt") throw new Error(`not confirmed: ${receipt.outcome}`);
      return receipt;
    }

    it.each([
      ["a right-to-left override and reversed text", "\u202Eraman eht fo yrtsiniM", "field.bidiControl"],
      ["zero-width spaces only", "\u200B\u200B", "field.required"],
      ["a NUL", "Real\u0000Org", "field.controlCharacter"],
      ["a C0 control", "Real\u0007Org", "field.controlCharacter"],
      ["bytes that were not UTF-8", "Org \uFFFD\uFFFD", "field.invalidEncoding"],
    ])("refuses a name with %s, before the Zawgyi check", async (_what, name, key) => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const result = await sign(letter.slug, name);
      expect(result).toEqual({ outcome: "invalid", problems: { name: { key } } });
    });

    it("folds tab and line breaks to a space and strips zero-width characters", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const result = await sign(letter.slug, "Karen\tPeace\r\nNetwork\u200C\u200D");
      if (result.outcome !== "sent") throw new Error(result.outcome);
      const row = await store
        .current()
        .db.selectFrom("signatures")
        .select(["display_name", "skeleton"])
        .where("id", "=", result.signatureId)
        .executeTakeFirstOrThrow();
      expect(row.display_name).toBe("Karen Peace Network");
      expect(row.skeleton).not.toBeNull();
    });

    it("holds a look-alike of a listed name for review and shows the two side by side under Duplicates", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const real = await signAndConfirm(letter.slug, "Ministry of Defence Watch");
      expect(real.state).toBe("approved");
      // Cyrillic М and е, and a Greek ο: different characters, different match key, the same look.
      const fake = await signAndConfirm(letter.slug, "\u041Cinistry \u03BFf D\u0435fence Watch");
      expect(fake.state).toBe("confirmed");
      const pairs = await listDuplicateSuggestions(store.current().db, letter.id);
      // Within a day the pair's order is not the order of signing: ids are random and times day-only.
      const byId = (a: number, b: number) => a - b;
      expect(pairs.map((p) => [p.first.id, p.second.id].sort(byId))).toContainEqual(
        [real.signatureId, fake.signatureId].sort(byId),
      );
      // A name that merely shares words is listed at once, as before.
      expect((await signAndConfirm(letter.slug, "Ministry of Health Watch")).state).toBe("approved");
    });

    it("holds a look-alike in full-width digits, and one of a name still awaiting review", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      expect((await signAndConfirm(letter.slug, "Generation 88 Group")).state).toBe("approved");
      expect((await signAndConfirm(letter.slug, "Generation \uFF18\uFF18 Group")).state).toBe("confirmed");
      expect((await signAndConfirm(letter.slug, "Generation \uFF18\uFF18 Gr\u043Eup")).state).toBe(
        "confirmed",
      );
    });

    it("sends an approved signer's rename to review; the public entry keeps its name until then", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      const receipt = await signAndConfirm(letter.slug, "Karen Women Network");
      const renamed = await correctListedName(
        deps(),
        {
          slug: letter.slug,
          manageToken: receipt.manageToken,
          form: { name: "Ministry of Defence of Myanmar" },
        },
        t0,
      );
      expect(renamed).toMatchObject({ outcome: "corrected", awaitingReview: true });
      const row = await store
        .current()
        .db.selectFrom("signatures")
        .select(["state", "display_name", "proposed_name"])
        .where("id", "=", receipt.signatureId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        state: "approved",
        display_name: "Karen Women Network",
        proposed_name: "Ministry of Defence of Myanmar",
      });
      // A rename through the manage link is refused the same characters as signing is.
      expect(
        await correctListedName(
          deps(),
          { slug: letter.slug, manageToken: receipt.manageToken, form: { name: "\u202EX" } },
          t0,
        ),
      ).toEqual({ outcome: "invalid", problems: { name: { key: "field.bidiControl" } } });
    });
  });
}
