import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test/databases.ts";
import { expectError, now, REPLY_PDF, useRecipientLetter } from "../../test/recipient-letters.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { recordManualDelivery } from "./record-manual-delivery.ts";
import { recordResponse } from "./record-response.ts";
import { saveRecipient } from "./save-recipient.ts";
import { saveStance } from "./save-stance.ts";
import { tagRecipientStance } from "./tag-recipient-stance.ts";

/*
 * Manual deliveries, responses and stances as commands, on both databases: what each writes, what it
 * refuses, what it audits, and what the public tracker then shows.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`responses on ${dialect.label}`, () => {
    const { store, deps, setUp, anotherCampaignsStance } = useRecipientLetter(dialect.name);

    it("records manual deliveries, responses with documents and stances, and the tracker shows only what is public", async () => {
      const { db, campaign, letter, actor } = await setUp();
      const minister = await saveRecipient(
        deps(),
        {
          actor,
          letterId: letter.id,
          fields: {
            name: "Defence Minister",
            country: "Brunei",
            addresseeGroup: "The Defence Ministers of",
            emails: "m@example.org",
            notes: "met at summit",
          },
        },
        now,
      );
      /** Records, as the coordinator, a recipient's reply, with the document it came in if any. */
      const recordReply = (
        recipientId: number,
        form: Parameters<typeof recordResponse>[1]["form"],
        document?: Buffer,
      ) => recordResponse(deps(), { actor, letterId: letter.id, recipientId, form, document }, now);
      /** Records, as the coordinator, how the letter reached a recipient by hand, post or embassy. */
      const recordDelivery = (
        recipientId: number,
        form: Parameters<typeof recordManualDelivery>[1]["form"],
      ) => recordManualDelivery(deps(), { actor, letterId: letter.id, recipientId, form }, now);
      const envoy = await saveRecipient(
        deps(),
        { actor, letterId: letter.id, fields: { name: "Special Envoy" } },
        now,
      );

      await expectError(
        recordDelivery(envoy.id, { method: "pigeon", deliveredOn: "2026-13-01" }),
        "validation",
        { method: "delivery.methodRequired", deliveredOn: "delivery.dateInvalid" },
      );
      await expectError(
        recordDelivery(envoy.id, { method: "hand", deliveredOn: "2026-03-03" }),
        "validation",
        { deliveredOn: "delivery.dateInvalid" },
      );
      await recordDelivery(minister.id, {
        method: "embassy",
        deliveredOn: "2026-02-20",
        note: "handed to the second secretary",
      });
      await recordDelivery(envoy.id, { method: "post", deliveredOn: "2026-02-25" });

      await expectError(
        recordReply(
          minister.id,
          { receivedOn: "2026-02-28", summary: "x", isPublic: true },
          Buffer.from("<html>"),
        ),
        "validation",
        { document: "responses.documentType" },
      );
      await expectError(
        recordReply(minister.id, { receivedOn: "2026-02-28", summary: "  ", isPublic: true }),
        "validation",
        { summary: "field.required" },
      );
      const reply = await recordReply(
        minister.id,
        { receivedOn: "2026-02-28", summary: "Declined to meet the coalition.", isPublic: true },
        REPLY_PDF,
      );
      await recordReply(envoy.id, {
        receivedOn: "2026-03-01",
        summary: "Private call, off the record.",
        isPublic: false,
      });
      const stored = await db
        .selectFrom("responses")
        .innerJoin("uploads", "uploads.id", "responses.document_upload_id")
        .select(["uploads.path", "uploads.media_type", "uploads.sha256"])
        .where("responses.id", "=", reply.id)
        .executeTakeFirstOrThrow();
      // Stored as rewritten without its metadata, under the hash of what is stored.
      const kept = readFileSync(path.join(store.dataDir(), stored.path));
      const sha256 = createHash("sha256").update(kept).digest("hex");
      expect(stored).toEqual({ path: `responses/${sha256}.pdf`, media_type: "application/pdf", sha256 });
      const reread = await PDFDocument.load(kept, { updateMetadata: false });
      expect([reread.getPageCount(), reread.getAuthor()]).toEqual([1, undefined]);

      const declined = await saveStance(
        deps(),
        {
          actor,
          campaignId: campaign.id,
          form: { label: "declined to attend", translations: { en: "", my: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်" } },
        },
        now,
      );
      const acknowledged = await saveStance(
        deps(),
        { actor, campaignId: campaign.id, form: { label: "acknowledged receipt", translations: {} } },
        now,
      );
      await expectError(
        saveStance(deps(), { actor, campaignId: campaign.id, form: { label: "", translations: {} } }, now),
        "validation",
        {
          label: "field.required",
        },
      );
      expect(
        await tagRecipientStance(
          deps(),
          { actor, letterId: letter.id, recipientId: minister.id, stanceIds: [declined.id, acknowledged.id] },
          now,
        ),
      ).toEqual({ added: [declined.id, acknowledged.id], removed: [] });
      expect(
        await tagRecipientStance(
          deps(),
          { actor, letterId: letter.id, recipientId: minister.id, stanceIds: [declined.id] },
          now,
        ),
      ).toEqual({ added: [], removed: [acknowledged.id] });
      const foreign = await anotherCampaignsStance();
      await expectError(
        tagRecipientStance(
          deps(),
          { actor, letterId: letter.id, recipientId: minister.id, stanceIds: [foreign.id] },
          now,
        ),
        "not_found",
      );

      const tracker = await getLetterTracker(db, letter.id);
      expect(tracker).toEqual({
        recipients: [
          {
            id: minister.id,
            name: "Defence Minister",
            office: null,
            country: "Brunei",
            addresseeGroup: "The Defence Ministers of",
            addresseeGroupKey: null,
            deliveredAt: "2026-02-20T00:00:00.000Z",
            deliveryMethod: "embassy",
            respondedAt: "2026-02-28",
            responses: [
              {
                receivedAt: "2026-02-28",
                summary: "Declined to meet the coalition.",
                documentUrl: `/letters/${letter.slug}/responses/${reply.id}/document`,
              },
            ],
            stances: [{ label: "declined to attend", translations: { my: "တက်ရောက်ရန် ငြင်းဆိုခဲ့သည်" } }],
          },
          {
            id: envoy.id,
            name: "Special Envoy",
            office: null,
            country: null,
            addresseeGroup: null,
            addresseeGroupKey: null,
            deliveredAt: "2026-02-25T00:00:00.000Z",
            deliveryMethod: "post",
            respondedAt: null,
            responses: [],
            stances: [],
          },
        ],
        counts: { recipients: 2, delivered: 2, responded: 1 },
      });
      const everything = JSON.stringify(tracker);
      for (const secret of ["m@example.org", "met at summit", "second secretary", "off the record"])
        expect(everything).not.toContain(secret);
      const actions = (
        await db
          .selectFrom("audit_entries")
          .select("action")
          .where("letter_id", "=", letter.id)
          .orderBy("id")
          .execute()
      ).map((a) => a.action);
      expect(actions).toEqual([
        "recipient.create",
        "recipient.create",
        "delivery.record",
        "delivery.record",
        "response.record",
        "response.record",
        "recipient.stances",
        "recipient.stances",
      ]);
    });
  });
}
