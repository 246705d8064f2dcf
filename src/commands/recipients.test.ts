import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { asReviewerIn } from "../../test/letter-drafts.ts";
import { insertLetter } from "../../test/letter-factory.ts";
import { expectError, now, useRecipientLetter } from "../../test/recipient-letters.ts";
import type { Actor } from "../policies/actor.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { listLetterRecipients } from "../queries/list-letter-recipients.ts";
import { onLetterChanged } from "../store/letter-changes.ts";
import { importRecipients } from "./import-recipients.ts";
import { moveRecipient } from "./move-recipient.ts";
import { removeRecipient } from "./remove-recipient.ts";
import { saveRecipient } from "./save-recipient.ts";

/*
 * Recipients as commands, on both databases: what adding, editing, importing, moving and removing write,
 * what they refuse (with which field message) and what they audit.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`recipients on ${dialect.label}`, () => {
    const { deps, setUp } = useRecipientLetter(dialect.name);

    it("adds, edits and removes recipients, refusing bad input per field, auditing without addresses", async () => {
      const { db, letter, actor } = await setUp();
      const added = await saveRecipient(
        deps(),
        {
          actor,
          letterId: letter.id,
          fields: {
            name: "  Minister of Defence  ",
            office: "Ministry of Defence",
            country: "Thailand",
            addresseeGroup: "The Defence Ministers of",
            emails: "minister@mod.example.go.th; secretary@mod.example.go.th, minister@MOD.example.go.th",
          },
        },
        now,
      );
      expect(added.created).toBe(true);
      const row = await db
        .selectFrom("recipients")
        .selectAll()
        .where("id", "=", added.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: "Minister of Defence", office: "Ministry of Defence", position: 1 });
      expect(JSON.parse(row.emails)).toEqual(["minister@mod.example.go.th", "secretary@mod.example.go.th"]);

      await expectError(
        saveRecipient(
          deps(),
          { actor, letterId: letter.id, fields: { name: " ", emails: "not-an-address" } },
          now,
        ),
        "validation",
        { name: "field.required", emails: "recipients.badEmail" },
      );
      await expectError(
        saveRecipient(
          deps(),
          {
            actor,
            letterId: letter.id,
            fields: {
              name: "Eleven",
              emails: Array.from({ length: 11 }, (_, i) => `a${i}@example.org`).join(","),
            },
          },
          now,
        ),
        "validation",
        { emails: "recipients.tooManyEmails" },
      );

      await saveRecipient(
        deps(),
        {
          actor,
          letterId: letter.id,
          recipientId: added.id,
          fields: { name: "Defence Minister", emails: "" },
        },
        now,
      );
      expect(
        await db
          .selectFrom("recipients")
          .select(["name", "emails", "office"])
          .where("id", "=", added.id)
          .executeTakeFirst(),
      ).toEqual({ name: "Defence Minister", emails: "[]", office: null });

      // A reviewer, or a coordinator of another campaign, may not.
      const outsider: Actor = {
        ...(actor as Exclude<Actor, "cli">),
        campaigns: new Map([[letter.id + 999, "coordinator"]]),
      };
      await expectError(
        saveRecipient(deps(), { actor: outsider, letterId: letter.id, fields: { name: "X" } }, now),
        "forbidden",
      );

      await removeRecipient(deps(), { actor, letterId: letter.id, recipientId: added.id }, now);
      expect(
        await db.selectFrom("recipients").select("id").where("letter_id", "=", letter.id).execute(),
      ).toEqual([]);
      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "detail"])
        .where("letter_id", "=", letter.id)
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        "recipient.create",
        "recipient.update",
        "recipient.remove",
      ]);
      expect(JSON.stringify(audit)).not.toContain("mod.example");
    });

    it("imports a CSV with a per-row report, and importing it again adds nothing", async () => {
      const { db, letter, actor } = await setUp();
      const csv = [
        "Name,Office,Country,Addressee group,Email",
        "Defence Minister,Ministry of Defence,Indonesia,The Defence Ministers of,menhan@example.go.id",
        '"Minister, Defence",,Australia,The Defence Ministers of,"minister@defence.example.au, office@defence.example.au"',
        ",,Cambodia,,nobody@example.org",
        "Head of Mission,Embassy,Myanmar,,not an email",
        "",
        "ကာကွယ်ရေးဝန်ကြီး,,Myanmar,,",
      ].join("\r\n");
      const report = await importRecipients(deps(), { actor, letterId: letter.id, csv }, now);
      expect(report).toMatchObject({ imported: 3, duplicates: 0, invalid: 2 });
      expect(report.rows.map((r) => [r.record, r.outcome, r.problems])).toEqual([
        [2, "imported", {}],
        [3, "imported", {}],
        [4, "invalid", { name: "field.required" }],
        [5, "invalid", { emails: "recipients.badEmail" }],
        [7, "imported", {}],
      ]);
      const again = await importRecipients(deps(), { actor, letterId: letter.id, csv }, now);
      expect(again).toMatchObject({ imported: 0, duplicates: 3, invalid: 2 });
      const rows = await db
        .selectFrom("recipients")
        .select(["name", "emails", "position"])
        .where("letter_id", "=", letter.id)
        .orderBy("position")
        .execute();
      expect(rows.map((r) => r.name)).toEqual(["Defence Minister", "Minister, Defence", "ကာကွယ်ရေးဝန်ကြီး"]);
      expect(JSON.parse(rows[1]!.emails)).toEqual([
        "minister@defence.example.au",
        "office@defence.example.au",
      ]);

      await expectError(
        importRecipients(deps(), { actor, letterId: letter.id, csv: 'name\n"open' }, now),
        "validation",
        {
          csv: "recipients.csvSyntax",
        },
      );
      await expectError(
        importRecipients(deps(), { actor, letterId: letter.id, csv: "office\nX" }, now),
        "validation",
        {
          csv: "recipients.csvNoName",
        },
      );
    });

    it("moves recipients up and down within the letter, new ones and imports going to the end", async () => {
      const { db, letter, actor, campaign } = await setUp();
      const other = await insertLetter(db, { campaignId: campaign.id });
      const ids: number[] = [];
      for (const name of ["A", "B", "C"])
        ids.push((await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name } }, now)).id);
      const [a, b, c] = ids as [number, number, number];
      const stranger = await saveRecipient(deps(), { actor, letterId: other.id, fields: { name: "X" } }, now);
      const names = async () => (await getLetterTracker(db, letter.id)).recipients.map((r) => r.name);
      expect(await names()).toEqual(["A", "B", "C"]);

      const changed: number[] = [];
      const stopListening = onLetterChanged((id) => changed.push(id));
      expect(
        await moveRecipient(deps(), { actor, letterId: letter.id, recipientId: c, direction: "up" }, now),
      ).toEqual({
        position: 2,
      });
      stopListening();
      expect(changed).toEqual([letter.id]);
      expect(await names()).toEqual(["A", "C", "B"]);
      await moveRecipient(deps(), { actor, letterId: letter.id, recipientId: a, direction: "down" }, now);
      expect(await names()).toEqual(["C", "A", "B"]);

      // Not past the ends, not another letter's recipient, not by a reviewer.
      await expectError(
        moveRecipient(deps(), { actor, letterId: letter.id, recipientId: c, direction: "up" }, now),
        "invalid_state",
        { recipient: "recipients.moveFirst" },
      );
      await expectError(
        moveRecipient(deps(), { actor, letterId: letter.id, recipientId: b, direction: "down" }, now),
        "invalid_state",
        { recipient: "recipients.moveLast" },
      );
      await expectError(
        moveRecipient(deps(), { actor, letterId: letter.id, recipientId: stranger.id, direction: "up" }, now),
        "not_found",
      );
      const reviewer = asReviewerIn(actor, campaign.id);
      await expectError(
        moveRecipient(deps(), { actor: reviewer, letterId: letter.id, recipientId: a, direction: "up" }, now),
        "forbidden",
      );
      expect(await names()).toEqual(["C", "A", "B"]);

      // Recipients that share a position (entered before positions were kept) still move one step.
      await db.updateTable("recipients").set({ position: 0 }).where("letter_id", "=", letter.id).execute();
      expect(await names()).toEqual(["A", "B", "C"]);
      await moveRecipient(deps(), { actor, letterId: letter.id, recipientId: b, direction: "up" }, now);
      expect(await names()).toEqual(["B", "A", "C"]);

      // Added one by one or imported, newcomers go to the end.
      await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name: "D" } }, now);
      await importRecipients(deps(), { actor, letterId: letter.id, csv: "name\nE\nF" }, now);
      expect(await names()).toEqual(["B", "A", "C", "D", "E", "F"]);
      expect((await listLetterRecipients(db, letter.id))!.recipients.map((r) => r.name)).toEqual([
        "B",
        "A",
        "C",
        "D",
        "E",
        "F",
      ]);
      const moves = await db
        .selectFrom("audit_entries")
        .select(["subject_id", "detail"])
        .where("action", "=", "recipient.move")
        .where("letter_id", "=", letter.id)
        .orderBy("id")
        .execute();
      expect(moves.map((m) => ({ id: m.subject_id, ...JSON.parse(m.detail) }))).toEqual([
        { id: c, name: "C", direction: "up", position: 2 },
        { id: a, name: "A", direction: "down", position: 2 },
        { id: b, name: "B", direction: "up", position: 1 },
      ]);
    });
  });
}
