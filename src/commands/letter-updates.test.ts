import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { loadConfig } from "../config.ts";
import { updatesTokenFor } from "../crypto/signer-links.ts";
import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { countedFlag } from "../domain/counts.ts";
import type { SignatureState, Visibility } from "../domain/signature-states.ts";
import type { Actor } from "../policies/actor.ts";
import { onLetterChanged } from "../store/letter-changes.ts";
import { mailLetterUpdate } from "./mail-letter-update.ts";
import { postLetterUpdate } from "./post-letter-update.ts";
import { unsubscribeUpdates } from "./unsubscribe-updates.ts";

const SECRET = "test-secret-test-secret-test-secret-00";
const now = new Date("2026-03-01T09:00:00.000Z");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`letter updates on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => ({
      store: store.current(),
      config: loadConfig({ DATA_DIR: store.dataDir(), BASE_URL: "https://letters.example" }),
      secret: SECRET,
    });

    /** A signatory as sign-letter.ts stores an opt-in: the address in the clear, the token's hash. */
    async function insertSigner(
      letter: { id: number; versionId: number },
      s: { name: string | null; state: SignatureState; email: string | null; visibility?: Visibility },
    ): Promise<{ id: number; token: string }> {
      const salt = randomBytes(16).toString("base64url");
      const token = updatesTokenFor(SECRET, salt);
      const row = await store
        .current()
        .db.insertInto("signatures")
        .values({
          letter_id: letter.id,
          version_id: letter.versionId,
          kind: "organisation",
          visibility: s.visibility ?? "listed",
          display_name: s.name,
          state: s.state,
          counted: countedFlag(s.state),
          source: "form",
          listed_salt: salt,
          updates_email: s.email,
          updates_token_hash: s.email ? sha256(token) : null,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { id: row.id, token };
    }

    const outbox = () =>
      store
        .current()
        .db.selectFrom("outbox_messages")
        .select(["to_address", "subject", "text_body", "html_body", "headers", "purpose"])
        .where("purpose", "=", "letter_update")
        .orderBy("id")
        .execute();

    it("posts an update, mails it once to confirmed listed opt-ins only, with RFC 8058 headers", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const approved = await insertSigner(letter, {
        name: "Athan",
        state: "approved",
        email: "a@ngo.example",
      });
      await insertSigner(letter, { name: "Beta", state: "confirmed", email: "b@ngo.example" });
      await insertSigner(letter, { name: "Twice", state: "confirmed", email: "A@ngo.example" });
      await insertSigner(letter, { name: "Gone", state: "withdrawn", email: "gone@ngo.example" });
      await insertSigner(letter, { name: "Unconfirmed", state: "unconfirmed", email: "u@ngo.example" });
      await insertSigner(letter, { name: "Quiet", state: "approved", email: null });
      const changed: number[] = [];
      const stop = onLetterChanged((id) => changed.push(id));
      const before = (await outbox()).length;

      const posted = await postLetterUpdate(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          form: { title: "Handed to the embassy", body: "Delivered **today**.", language: "en", mail: "1" },
        },
        now,
      );
      stop();
      expect(posted.created).toBe(true);
      expect(posted.mail).toEqual({ outcome: "mailed", recipients: 2 });
      expect(changed).toContain(letter.id);
      const mails = (await outbox()).slice(before);
      expect(mails.map((m) => m.to_address).sort()).toEqual(["a@ngo.example", "b@ngo.example"]);
      const first = mails.find((m) => m.to_address === "a@ngo.example")!;
      const headers = JSON.parse(first.headers) as Record<string, string>;
      const link = `https://letters.example/letters/${letter.slug}/unsubscribe?token=${approved.token}`;
      expect(headers["List-Unsubscribe"]).toBe(`<${link}>`);
      expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      // Rendered like the update on the letter page: no Markdown in either part.
      expect(first.text_body).toContain("Delivered today.");
      expect(first.text_body).not.toContain("**");
      expect(first.html_body).toContain("<strong>today</strong>");
      expect(first.text_body).toContain(link);
      expect(first.subject).toBe("Update: Handed to the embassy");

      // The mail button pressed again, or the form sent twice: nothing is queued a second time.
      expect(await mailLetterUpdate(deps(), { actor: "cli", updateId: posted.updateId }, now)).toEqual({
        outcome: "already",
      });
      const again = await postLetterUpdate(
        deps(),
        {
          actor: "cli",
          letterId: letter.id,
          form: { title: "Handed to the embassy", body: "Delivered **today**.", language: "en", mail: "1" },
        },
        new Date(now.getTime() + 5_000),
      );
      expect(again).toMatchObject({
        updateId: posted.updateId,
        created: false,
        mail: { outcome: "already" },
      });
      expect((await outbox()).length).toBe(before + 2);
      const rows = await store
        .current()
        .db.selectFrom("letter_updates")
        .select(["id", "mailed_at"])
        .where("letter_id", "=", letter.id)
        .execute();
      expect(rows).toEqual([{ id: posted.updateId, mailed_at: now.toISOString() }]);
    });

    it("refuses an empty title with a field error, and a reviewer outright", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const invalid = await postLetterUpdate(
        deps(),
        { actor: "cli", letterId: letter.id, form: { title: " ", body: "x", language: "en" } },
        now,
      ).catch((e: unknown) => e);
      expect(invalid).toBeInstanceOf(AppError);
      expect((invalid as AppError).fields).toEqual({ title: "field.required" });
      const reviewer: Actor = {
        userId: 1,
        role: "reviewer",
        label: "r@example.org",
        campaigns: new Map([[letter.campaignId, "reviewer" as const]]),
      };
      await expect(
        postLetterUpdate(
          deps(),
          { actor: reviewer, letterId: letter.id, form: { title: "t", body: "b", language: "en" } },
          now,
        ),
      ).rejects.toMatchObject({ code: "forbidden" });
      const count = await store
        .current()
        .db.selectFrom("letter_updates")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    it("unsubscribes by token: erases the address once, and later mails skip it", async () => {
      const letter = await insertSignableLetter(store.current().db);
      const signer = await insertSigner(letter, { name: "Athan", state: "approved", email: "a@ngo.example" });
      const other = await insertSignableLetter(store.current().db);

      expect(await unsubscribeUpdates(deps(), { token: signer.token, letterSlug: other.slug }, now)).toEqual({
        outcome: "invalid",
      });
      expect(
        await unsubscribeUpdates(deps(), { token: "x".repeat(43), letterSlug: letter.slug }, now),
      ).toEqual({
        outcome: "invalid",
      });
      expect(await unsubscribeUpdates(deps(), { token: signer.token, letterSlug: letter.slug }, now)).toEqual(
        {
          outcome: "unsubscribed",
          letterId: letter.id,
        },
      );
      expect(await unsubscribeUpdates(deps(), { token: signer.token, letterSlug: letter.slug }, now)).toEqual(
        {
          outcome: "already",
          letterId: letter.id,
        },
      );
      const row = await store
        .current()
        .db.selectFrom("signatures")
        .select(["updates_email", "state"])
        .where("id", "=", signer.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ updates_email: null, state: "approved" });
      const posted = await postLetterUpdate(
        deps(),
        { actor: "cli", letterId: letter.id, form: { title: "Next", body: "b", language: "en", mail: "1" } },
        now,
      );
      expect(posted.mail).toEqual({ outcome: "mailed", recipients: 0 });
    });
  });
}
