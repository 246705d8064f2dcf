import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { sent, useSignOn } from "../../test/sign-on-machine.ts";
import { openSealed } from "../crypto/seal.ts";
import { sha256 } from "../crypto/tokens.ts";
import { utf8 } from "../domain/tlog/bytes.ts";
import { commitment } from "../domain/tlog/entries.ts";

/*
 * What signing stores, on both databases: a listed endorsement's public name and key with its contact
 * sealed and a 7-day link mailed, nothing of an undisclosed one in the clear, and every problem of a form
 * reported at once.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`what sign-on stores on ${dialect.label}`, () => {
    const { store, sign, signature } = useSignOn(dialect.name);
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
        // The end of the eighth day: a week at least, and nothing finer than the day of signing.
        confirm_expires_at: "2026-03-09T00:00:00.000Z",
        created_at: "2026-03-01T00:00:00.000Z",
        updated_at: "2026-03-01T00:00:00.000Z",
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
        .where("text_body", "like", `%${token}%`)
        .executeTakeFirstOrThrow();
      expect(mail.to_address).toBe("office@example.org");
      expect(mail.text_body).toContain("valid for 7 days");
      expect(mail.text_body).not.toContain("Karen");
      // A neutral subject that names no letter, queued under the day with a random id, not the moment.
      expect(mail.subject).toBe("Confirm your endorsement");
      expect(`${mail.subject} ${mail.text_body}`).not.toContain("Stop the forced returns");
      expect(mail).toMatchObject({ signer_caused: 1, created_at: "2026-03-01T00:00:00.000Z" });
      expect(mail.id).toBeGreaterThanOrEqual(100_000_000);
      // The endorsement too: its id says nothing of its place among imported, timed rows.
      expect(sent(result).signatureId).toBeGreaterThanOrEqual(100_000_000);
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
      const opened = JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair));
      expect(opened).toEqual({
        v: 1,
        kind: "organisation",
        name: "Secret Sangha Network",
        website: "https://secret.example.org",
        category: "Myanmar",
        country: "MM",
        salt: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      });
      // The log commitment's salt is inside the record and nowhere readable beside it: the row holds only
      // the commitment it makes with the record, and a box the signer's manage link opens.
      const salt = Buffer.from(opened.salt, "base64");
      expect(row.undisclosed_commit).toBe(commitment(salt, utf8(row.sealed_identity!)));
      expect(row.listed_salt).toBeNull();
      const rowText = JSON.stringify(row);
      expect(rowText).not.toContain(opened.salt);
      expect(rowText).not.toContain(salt.toString("base64url"));
      expect(rowText).not.toContain(salt.toString("hex"));
      const audit = JSON.stringify(
        await store.current().db.selectFrom("audit_entries").selectAll().execute(),
      );
      const limits = JSON.stringify(await store.current().db.selectFrom("rate_limits").selectAll().execute());
      for (const text of [audit, limits]) {
        expect(text).not.toMatch(/Secret|Sangha|U Hidden|office@example/);
        expect(text).not.toContain(sha256("office@example.org").slice(0, 16));
      }
    });

    it("reports every problem of a form at once, each field with its size, and accepts boxes sealed in the browser", async () => {
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
          category: { key: "sign.invalidChoice" },
          country: { key: "field.required" },
          website: { key: "sign.invalidWebsite" },
          consent: { key: "sign.consentRequired" },
          sealed_contact: { key: "sign.invalidSealed" },
        },
      });
      const { seal } = await import("../crypto/seal.ts");
      const box = await seal(JSON.stringify({ v: 1, name: "Browser Sealed" }), letter.keyPair.publicKey);
      const contact = await seal(JSON.stringify({ v: 1, email: "b@example.org" }), letter.keyPair.publicKey);
      // A record sealed in the browser comes with the salt the browser put inside it, or not at all.
      const unsalted = await sign(letter.slug, {
        visibility: "undisclosed",
        sealed_identity: box,
        sealed_contact: contact,
        email: "b@example.org",
      });
      expect(unsalted.result).toEqual({
        outcome: "invalid",
        problems: { identity_salt: { key: "sign.invalidSealed" } },
      });
      const salt = Buffer.alloc(32, 7);
      const browser = await sign(letter.slug, {
        visibility: "undisclosed",
        sealed_identity: box,
        identity_salt: salt.toString("base64"),
        sealed_contact: contact,
        email: "b@example.org",
      });
      const row = await signature(sent(browser.result).signatureId);
      expect(row.sealed_identity).toBe(box);
      expect(row.sealed_contact).toBe(contact);
      expect(row.undisclosed_commit).toBe(commitment(salt, utf8(box)));
    });
  });
}
