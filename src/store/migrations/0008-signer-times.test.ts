import { describe, expect, it } from "vitest";
import { DIALECTS, useStore } from "../../../test/databases.ts";
import { upgradeMigrator } from "../../../test/migrator.ts";
import { insertSignableLetter } from "../../../test/sign-on-factory.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`migration 0008 on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("cuts what earlier versions stored of signers' moments to the day, and moves signer entries out of the audit", async () => {
      const { db } = store.current();
      const migrator = upgradeMigrator(db);
      const letter = await insertSignableLetter(db);
      const down = await migrator.migrateTo("0007-imports");
      expect(down.error).toBeUndefined();

      // What an older version stored: exact moments on an endorsement from the form and on its audit entry.
      const exact = "2026-03-01T10:17:23.456Z";
      const signature = (source: string, visibility: string) => ({
        letter_id: letter.id,
        version_id: letter.versionId,
        kind: "organisation",
        visibility,
        state: "confirmed",
        source,
        leaf_salt: `salt-${source}-${visibility}`,
        sealed_contact: "c2VhbGVk",
        confirm_expires_at: "2026-03-08T10:17:23.456Z",
        created_at: exact,
        confirmed_at: "2026-03-01T11:00:01.000Z",
        updated_at: "2026-03-01T11:00:01.000Z",
      });
      const [fromForm, imported] = await Promise.all([
        db
          .insertInto("signatures")
          .values(signature("form", "listed") as never)
          .returning("id")
          .executeTakeFirstOrThrow(),
        db
          .insertInto("signatures")
          .values(signature("import", "undisclosed") as never)
          .returning("id")
          .executeTakeFirstOrThrow(),
      ]);
      await db
        .insertInto("audit_entries")
        .values([
          {
            at: exact,
            actor_user_id: null,
            actor_label: "signer",
            action: "signature.submit",
            subject_type: "signature",
            subject_id: fromForm.id,
            campaign_id: letter.campaignId,
            letter_id: letter.id,
            detail: '{"visibility":"listed"}',
          },
          {
            at: exact,
            actor_user_id: null,
            actor_label: "cli",
            action: "letter.publish",
            subject_type: "letter",
            subject_id: letter.id,
            campaign_id: letter.campaignId,
            letter_id: letter.id,
            detail: "{}",
          },
        ])
        .execute();
      await db
        .insertInto("outbox_messages")
        .values({
          purpose: "confirmation",
          to_address: "x@example.org",
          subject: "s",
          text_body: "t",
          headers: "{}",
          attachments: "[]",
          state: "pending",
          attempts: 0,
          next_attempt_at: exact,
          message_id: "<m@example.org>",
          created_at: exact,
        } as never)
        .execute();

      const up = await migrator.migrateToLatest();
      expect(up.error).toBeUndefined();
      const rows = await db.selectFrom("signatures").selectAll().orderBy("id").execute();
      const form = rows.find((r) => r.id === fromForm.id)!;
      expect(form).toMatchObject({
        created_at: "2026-03-01T00:00:00.000Z",
        confirmed_at: "2026-03-01T00:00:00.000Z",
        updated_at: "2026-03-01T00:00:00.000Z",
        confirm_expires_at: "2026-03-08T00:00:00.000Z",
      });
      // An imported undisclosed endorsement's signed-at date goes to the day; its import's time stays.
      expect(rows.find((r) => r.id === imported.id)).toMatchObject({
        confirmed_at: "2026-03-01T00:00:00.000Z",
        created_at: exact,
      });
      expect(await db.selectFrom("signer_events").selectAll().execute()).toEqual([
        expect.objectContaining({
          day: "2026-03-01",
          action: "signature.submit",
          signature_id: fromForm.id,
          letter_id: letter.id,
        }),
      ]);
      // The coordinators' entries keep their moments; the signer's left the timed audit.
      expect(await db.selectFrom("audit_entries").select(["actor_label", "at"]).execute()).toEqual([
        { actor_label: "cli", at: exact },
      ]);
      expect(await db.selectFrom("outbox_messages").select("signer_caused").execute()).toEqual([
        { signer_caused: 1 },
      ]);

      // And back: the entries return to the audit log, by day.
      const again = await migrator.migrateTo("0007-imports");
      expect(again.error).toBeUndefined();
      expect(
        await db.selectFrom("audit_entries").select(["actor_label", "at"]).orderBy("actor_label").execute(),
      ).toEqual([
        { actor_label: "cli", at: exact },
        { actor_label: "signer", at: "2026-03-01T00:00:00.000Z" },
      ]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
    });
  });
}
