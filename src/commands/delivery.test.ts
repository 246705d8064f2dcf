import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LogCapture } from "../../test/app.ts";
import { DIALECTS } from "../../test/databases.ts";
import { insertLetter } from "../../test/letter-factory.ts";
import { expectError, now, PDF, useRecipientLetter } from "../../test/recipient-letters.ts";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { createLogger } from "../log.ts";
import { createMailTransport } from "../mail/transports.ts";
import { startOutboxWorker } from "../mail/worker.ts";
import { getLetterTracker } from "../queries/get-letter-tracker.ts";
import { onLetterChanged } from "../store/letter-changes.ts";
import { deliverLetter } from "./deliver-letter.ts";
import { removeRecipient } from "./remove-recipient.ts";
import { saveRecipient } from "./save-recipient.ts";

/*
 * Delivering a letter as a command, on both databases: once per recipient and version, through the real
 * outbox worker to a real SMTP peer, each outcome mirrored on its delivery.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`delivery on ${dialect.label}`, () => {
    const { store, deps, setUp } = useRecipientLetter(dialect.name);
    let peer: SmtpPeer;

    beforeAll(async () => {
      peer = await startSmtpPeer();
    });
    beforeEach(() => {
      peer.onRecipient = () => undefined;
      peer.onMessage = () => undefined;
      peer.accepted.length = 0;
    });
    afterAll(() => peer.close());

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
  });
}
