import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandDeps, insertUser } from "../../test/accounts.ts";
import { LogCapture } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { insertCampaign, insertLetter } from "../../test/letter-factory.ts";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { AppError } from "../domain/app-error.ts";
import { createLogger } from "../log.ts";
import { createMailTransport } from "../mail/transports.ts";
import { startOutboxWorker } from "../mail/worker.ts";
import type { Actor } from "../policies/actor.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { listLetterRecipients } from "../queries/list-letter-recipients.ts";
import { onLetterChanged } from "../store/letter-changes.ts";
import { deliverLetter, type LetterPdfSource } from "./deliver-letter.ts";
import { importRecipients } from "./import-recipients.ts";
import { moveRecipient } from "./move-recipient.ts";
import { recordManualDelivery } from "./record-manual-delivery.ts";
import { recordResponse } from "./record-response.ts";
import { removeRecipient } from "./remove-recipient.ts";
import { removeStance } from "./remove-stance.ts";
import { saveRecipient } from "./save-recipient.ts";
import { saveStance } from "./save-stance.ts";
import { tagRecipientStance } from "./tag-recipient-stance.ts";

/*
 * Recipients, deliveries, responses and stances as commands, on both databases: what each writes, what it
 * refuses (with which field message), what it audits, and what the public tracker then shows. Delivery
 * goes through the real outbox worker to a real SMTP peer. The PDF here is a fixed document handed in
 * through the command's PDF source, so its hash can be checked; the route test prints the real one.
 */

const now = new Date("2026-03-02T10:00:00.000Z");
const PDF = Buffer.from("%PDF-1.7\n% a printed letter\n%%EOF\n");
/** A ministry's reply as its word processor wrote it, with its author in the metadata. */
const REPLY_PDF = await (async () => {
  const reply = await PDFDocument.create();
  reply.addPage([200, 100]);
  reply.setAuthor("Ministry clerk");
  return Buffer.from(await reply.save());
})();
const printed: LetterPdfSource = { available: true, render: async () => PDF };

async function expectError(promise: Promise<unknown>, code: string, fields: Record<string, string> = {}) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect({ code: (error as AppError).code, fields: (error as AppError).fields }).toEqual({ code, fields });
  return error as AppError;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`recipients and delivery on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let peer: SmtpPeer;
    const deps = () => ({ ...commandDeps(store.current(), store.dataDir()), letterPdf: printed });

    async function setUp() {
      const { db } = store.current();
      const campaign = await insertCampaign(db);
      const letter = await insertLetter(db, {
        campaignId: campaign.id,
        translations: [
          {
            language: "en",
            title: "Stop the arms flow",
            subject: "Arms embargo",
            body: "We, the undersigned {{total}} organisations, ask.",
          },
        ],
      });
      const user = await insertUser(store.current(), { role: "coordinator" });
      const actor: Actor = {
        userId: user.id,
        role: "coordinator",
        label: user.email,
        campaigns: new Map([[campaign.id, "coordinator"]]),
      };
      return { db, campaign, letter, actor, user };
    }

    beforeAll(async () => {
      peer = await startSmtpPeer();
    });
    beforeEach(() => {
      peer.onRecipient = () => undefined;
      peer.onMessage = () => undefined;
      peer.accepted.length = 0;
    });
    afterAll(() => peer.close());

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

    it("delivers once per recipient and version through the outbox, mirroring each outcome on its delivery", async () => {
      const { db, letter, actor } = await setUp();
      const ids: number[] = [];
      for (const [name, emails] of [
        ["Accepting Minister", "accept@mod.example.org"],
        ["Busy Minister", "busy@mod.example.org"],
        ["Gone Minister", "gone@mod.example.org"],
        ["Postal Minister", ""],
      ] as const) {
        ids.push(
          (await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name, emails } }, now)).id,
        );
      }
      const changed: number[] = [];
      const stopListening = onLetterChanged((id) => changed.push(id));

      const result = await deliverLetter(
        deps(),
        { actor, letterId: letter.id, recipientIds: ids, resend: false },
        now,
      );
      expect(result).toEqual({
        queued: 3,
        withoutEmail: ["Postal Minister"],
        pdfSha256: createHash("sha256").update(PDF).digest("hex"),
      });
      const file = path.join(store.dataDir(), "deliveries", `${result.pdfSha256}.pdf`);
      expect(readFileSync(file).equals(PDF)).toBe(true);
      const queued = await db
        .selectFrom("deliveries")
        .innerJoin("outbox_messages", "outbox_messages.id", "deliveries.outbox_message_id")
        .select([
          "deliveries.id",
          "deliveries.state",
          "deliveries.pdf_sha256",
          "deliveries.version_id",
          "outbox_messages.delivery_id",
          "outbox_messages.to_address",
          "outbox_messages.attachments",
          "outbox_messages.text_body",
        ])
        .where("deliveries.letter_id", "=", letter.id)
        .orderBy("deliveries.id")
        .execute();
      expect(queued).toHaveLength(3);
      for (const d of queued) {
        expect(d).toMatchObject({
          state: "queued",
          pdf_sha256: result.pdfSha256,
          version_id: letter.versionId,
          delivery_id: d.id,
        });
        expect(JSON.parse(d.attachments)).toEqual([
          { filename: `${letter.slug}.pdf`, contentType: "application/pdf", path: file },
        ]);
        expect(d.text_body).toContain("We, the undersigned 0 organisations, ask.");
        expect(d.text_body).toContain(`https://letters.example.org/letters/${letter.slug}`);
      }

      // The same version again: refused, naming who has it, and nothing more is queued.
      const twice = await expectError(
        deliverLetter(deps(), { actor, letterId: letter.id, recipientIds: [ids[0]!], resend: false }, now),
        "conflict",
        { resend: "delivery.alreadyDelivered" },
      );
      expect(twice.params).toEqual({ names: "Accepting Minister" });
      await expectError(
        deliverLetter(deps(), { actor, letterId: letter.id, recipientIds: [ids[3]!], resend: false }, now),
        "validation",
        { recipients: "delivery.noEmails" },
      );
      await expectError(
        deliverLetter(
          { ...deps(), letterPdf: { available: false, render: () => Promise.reject(new Error("no")) } },
          {
            actor,
            letterId: letter.id,
            recipientIds: [ids[0]!],
            resend: true,
          },
          now,
        ),
        "unavailable",
        { delivery: "delivery.noChromium" },
      );
      expect(
        await db.selectFrom("outbox_messages").select("id").where("purpose", "=", "delivery").execute(),
      ).toHaveLength(3);

      peer.onRecipient = (address) =>
        address.startsWith("gone@")
          ? { code: 550, message: `5.1.1 <${address}>: Recipient address rejected` }
          : undefined;
      peer.onMessage = (mail, attempt) =>
        String(mail.to && "text" in mail.to ? mail.to.text : "").startsWith("busy@") && attempt === 1
          ? { code: 451, message: "4.3.0 Mailbox busy, try again later" }
          : undefined;
      const clock = { now: new Date(now.getTime() + 1000) };
      const worker = startOutboxWorker({
        db,
        dialect: store.current().dialect,
        transport: createMailTransport({
          smtpUrl: peer.url,
          dataDir: store.dataDir(),
          from: "Letters <letters@example.org>",
        }),
        log: createLogger("info", new LogCapture()),
        now: () => clock.now,
        announce: () => {},
        pollMs: 60_000,
      });
      try {
        await worker.drain();
        const states = async () =>
          (
            await db
              .selectFrom("deliveries")
              .innerJoin("recipients", "recipients.id", "deliveries.recipient_id")
              .select([
                "recipients.name",
                "deliveries.state",
                "deliveries.last_response",
                "deliveries.delivered_at",
              ])
              .where("deliveries.letter_id", "=", letter.id)
              .orderBy("deliveries.id")
              .execute()
          ).map((d) => [d.name, d.state, d.last_response, d.delivered_at]);
        expect(await states()).toEqual([
          ["Accepting Minister", "sent", expect.stringMatching(/^250 /), clock.now.toISOString()],
          ["Busy Minister", "deferred", "451 4.3.0 Mailbox busy, try again later", null],
          ["Gone Minister", "bounced", "550 5.1.1 <[address]>: Recipient address rejected", null],
        ]);
        expect(changed).toContain(letter.id);
        const mail = peer.accepted[0]!;
        expect(mail.subject).toBe("Stop the arms flow: Arms embargo");
        expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.equals(PDF)])).toEqual([
          [`${letter.slug}.pdf`, "application/pdf", true],
        ]);

        clock.now = new Date(clock.now.getTime() + 10 * 60_000);
        await worker.drain();
        expect((await states())[1]).toEqual([
          "Busy Minister",
          "sent",
          expect.stringMatching(/^250 /),
          clock.now.toISOString(),
        ]);
        expect(peer.accepted).toHaveLength(2);
      } finally {
        await worker.stop();
        stopListening();
      }

      // An explicit re-send queues a new mail for the same version.
      expect(
        (
          await deliverLetter(
            deps(),
            { actor, letterId: letter.id, recipientIds: [ids[0]!], resend: true },
            now,
          )
        ).queued,
      ).toBe(1);
      await expectError(
        removeRecipient(deps(), { actor, letterId: letter.id, recipientId: ids[0]! }, now),
        "invalid_state",
        {
          recipient: "recipients.removeDelivered",
        },
      );
      const tracker = await getLetterTracker(db, letter.id);
      expect(tracker.counts).toEqual({ recipients: 4, delivered: 2, responded: 0 });
      expect(JSON.stringify(tracker)).not.toContain("@");
    });

    it("refuses to deliver a letter that is not published", async () => {
      const { db, campaign, actor } = await setUp();
      const draft = await insertLetter(db, { campaignId: campaign.id, state: "collecting" });
      const { id } = await saveRecipient(
        deps(),
        { actor, letterId: draft.id, fields: { name: "M", emails: "m@example.org" } },
        now,
      );
      await expectError(
        deliverLetter(deps(), { actor, letterId: draft.id, recipientIds: [id], resend: false }, now),
        "invalid_state",
        { delivery: "delivery.notPublished" },
      );
    });

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
      const envoy = await saveRecipient(
        deps(),
        { actor, letterId: letter.id, fields: { name: "Special Envoy" } },
        now,
      );

      await expectError(
        recordManualDelivery(
          deps(),
          {
            actor,
            letterId: letter.id,
            recipientId: envoy.id,
            form: { method: "pigeon", deliveredOn: "2026-13-01" },
          },
          now,
        ),
        "validation",
        { method: "delivery.methodRequired", deliveredOn: "delivery.dateInvalid" },
      );
      await expectError(
        recordManualDelivery(
          deps(),
          {
            actor,
            letterId: letter.id,
            recipientId: envoy.id,
            form: { method: "hand", deliveredOn: "2026-03-03" },
          },
          now,
        ),
        "validation",
        { deliveredOn: "delivery.dateInvalid" },
      );
      await recordManualDelivery(
        deps(),
        {
          actor,
          letterId: letter.id,
          recipientId: minister.id,
          form: { method: "embassy", deliveredOn: "2026-02-20", note: "handed to the second secretary" },
        },
        now,
      );
      await recordManualDelivery(
        deps(),
        {
          actor,
          letterId: letter.id,
          recipientId: envoy.id,
          form: { method: "post", deliveredOn: "2026-02-25" },
        },
        now,
      );

      await expectError(
        recordResponse(
          deps(),
          {
            actor,
            letterId: letter.id,
            recipientId: minister.id,
            form: { receivedOn: "2026-02-28", summary: "x", isPublic: true },
            document: Buffer.from("<html>"),
          },
          now,
        ),
        "validation",
        { document: "responses.documentType" },
      );
      await expectError(
        recordResponse(
          deps(),
          {
            actor,
            letterId: letter.id,
            recipientId: minister.id,
            form: { receivedOn: "2026-02-28", summary: "  ", isPublic: true },
          },
          now,
        ),
        "validation",
        { summary: "field.required" },
      );
      const reply = await recordResponse(
        deps(),
        {
          actor,
          letterId: letter.id,
          recipientId: minister.id,
          form: { receivedOn: "2026-02-28", summary: "Declined to meet the coalition.", isPublic: true },
          document: REPLY_PDF,
        },
        now,
      );
      await recordResponse(
        deps(),
        {
          actor,
          letterId: letter.id,
          recipientId: envoy.id,
          form: { receivedOn: "2026-03-01", summary: "Private call, off the record.", isPublic: false },
        },
        now,
      );
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
      const otherCampaign = await insertCampaign(db);
      const foreign = await saveStance(
        deps(),
        { actor: "cli", campaignId: otherCampaign.id, form: { label: "foreign", translations: {} } },
        now,
      );
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

    it("renames and removes stances: untagged on every letter, trackers changed, audited, others refused", async () => {
      const { db, campaign, letter, actor, user } = await setUp();
      const second = await insertLetter(db, { campaignId: campaign.id });
      const untouched = await insertLetter(db, { campaignId: campaign.id });
      const a = await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name: "A" } }, now);
      const b = await saveRecipient(deps(), { actor, letterId: letter.id, fields: { name: "B" } }, now);
      const c = await saveRecipient(deps(), { actor, letterId: second.id, fields: { name: "C" } }, now);
      await saveRecipient(deps(), { actor, letterId: untouched.id, fields: { name: "D" } }, now);
      const declined = await saveStance(
        deps(),
        { actor, campaignId: campaign.id, form: { label: "declined", translations: {} } },
        now,
      );
      const kept = await saveStance(
        deps(),
        { actor, campaignId: campaign.id, form: { label: "acknowledged", translations: {} } },
        now,
      );
      for (const [letterId, recipientId] of [
        [letter.id, a.id],
        [letter.id, b.id],
        [second.id, c.id],
      ] as const)
        await tagRecipientStance(
          deps(),
          { actor, letterId, recipientId, stanceIds: [declined.id, kept.id] },
          now,
        );

      // Renamed (label and both translations): every tracker of the campaign shows the new name.
      const changed: number[] = [];
      const stopListening = onLetterChanged((id) => changed.push(id));
      await saveStance(
        deps(),
        {
          actor,
          campaignId: campaign.id,
          stanceId: declined.id,
          form: { label: "declined to attend", translations: { en: "declined to attend", my: "ငြင်းဆိုခဲ့သည်" } },
        },
        now,
      );
      expect(changed.sort()).toEqual([letter.id, second.id, untouched.id].sort());
      expect((await getLetterTracker(db, second.id)).recipients[0]!.stances[0]).toEqual({
        label: "declined to attend",
        translations: { en: "declined to attend", my: "ငြင်းဆိုခဲ့သည်" },
      });
      await expectError(
        saveStance(
          deps(),
          { actor, campaignId: campaign.id, stanceId: declined.id, form: { label: " ", translations: {} } },
          now,
        ),
        "validation",
        { label: "field.required" },
      );

      // Another campaign's stance, and a reviewer, are refused; nothing changes.
      const otherCampaign = await insertCampaign(db);
      const foreign = await saveStance(
        deps(),
        { actor: "cli", campaignId: otherCampaign.id, form: { label: "foreign", translations: {} } },
        now,
      );
      await expectError(
        removeStance(deps(), { actor, campaignId: campaign.id, stanceId: foreign.id }, now),
        "not_found",
      );
      await expectError(
        saveStance(
          deps(),
          { actor, campaignId: campaign.id, stanceId: foreign.id, form: { label: "x", translations: {} } },
          now,
        ),
        "not_found",
      );
      const reviewer: Actor = {
        userId: user.id,
        role: "reviewer",
        label: user.email,
        campaigns: new Map([[campaign.id, "reviewer"]]),
      };
      await expectError(
        removeStance(deps(), { actor: reviewer, campaignId: campaign.id, stanceId: declined.id }, now),
        "forbidden",
      );
      await expectError(
        saveStance(
          deps(),
          {
            actor: reviewer,
            campaignId: campaign.id,
            stanceId: declined.id,
            form: { label: "x", translations: {} },
          },
          now,
        ),
        "forbidden",
      );

      changed.length = 0;
      expect(
        await removeStance(deps(), { actor, campaignId: campaign.id, stanceId: declined.id }, now),
      ).toEqual({
        untagged: 3,
        letterIds: [letter.id, second.id].sort((x, y) => x - y),
      });
      stopListening();
      // Only the letters whose trackers showed it changed.
      expect(changed.sort()).toEqual([letter.id, second.id].sort());
      expect(await db.selectFrom("stances").select("id").where("id", "=", declined.id).execute()).toEqual([]);
      expect(
        await db
          .selectFrom("recipient_stances")
          .select(["recipient_id", "stance_id"])
          .orderBy("recipient_id")
          .where("recipient_id", "in", [a.id, b.id, c.id])
          .execute(),
      ).toEqual([a.id, b.id, c.id].map((id) => ({ recipient_id: id, stance_id: kept.id })));
      for (const id of [letter.id, second.id])
        for (const r of (await getLetterTracker(db, id)).recipients)
          expect(r.stances).toEqual([{ label: "acknowledged", translations: {} }]);
      // The foreign stance is still there.
      expect(await db.selectFrom("stances").select("id").where("id", "=", foreign.id).execute()).toHaveLength(
        1,
      );
      await expectError(
        removeStance(deps(), { actor, campaignId: campaign.id, stanceId: declined.id }, now),
        "not_found",
      );
      const audit = await db
        .selectFrom("audit_entries")
        .select(["action", "subject_id", "campaign_id", "detail", "actor_user_id"])
        .where("action", "in", ["stance.update", "stance.remove"])
        .where("campaign_id", "=", campaign.id)
        .orderBy("id")
        .execute();
      expect(audit.map((e) => ({ ...e, detail: JSON.parse(e.detail) }))).toEqual([
        {
          action: "stance.update",
          subject_id: declined.id,
          campaign_id: campaign.id,
          detail: { label: "declined to attend" },
          actor_user_id: user.id,
        },
        {
          action: "stance.remove",
          subject_id: declined.id,
          campaign_id: campaign.id,
          detail: { label: "declined to attend", recipients: 3, letters: 2 },
          actor_user_id: user.id,
        },
      ]);
    });

    it("moves recipients up and down within the letter, new ones and imports going to the end", async () => {
      const { db, letter, actor, user, campaign } = await setUp();
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
      const reviewer: Actor = {
        userId: user.id,
        role: "reviewer",
        label: user.email,
        campaigns: new Map([[campaign.id, "reviewer"]]),
      };
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
