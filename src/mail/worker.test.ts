import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LogCapture } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { sleep, waitFor } from "../../test/wait.ts";
import { createLogger } from "../log.ts";
import { readLocalMailbox } from "./mailbox.ts";
import { enqueueMail, mailQueued, type OutgoingMail } from "./outbox.ts";
import { createMailTransport } from "./transports.ts";
import { LEASE_MS, MAX_ATTEMPTS, type OutboxWorker, retryDelayMs, startOutboxWorker } from "./worker.ts";

const START = new Date("2026-03-01T09:00:00.000Z");
const ADDRESS = "ko.aung@example.net";
const LINK = "https://letters.example.org/confirm/Zq9xOneTimeToken";
const BURMESE_SUBJECT = "လက်မှတ်ထိုးမှုကို အတည်ပြုပါ";

describe("retry backoff", () => {
  it("doubles from one minute with ±20 % jitter and never waits more than six hours", () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(2, () => 0.5)).toBe(120_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(240_000);
    expect(retryDelayMs(1, () => 0)).toBe(48_000);
    expect(retryDelayMs(1, () => 1)).toBe(72_000);
    expect(retryDelayMs(10, () => 1)).toBe(6 * 3600_000);
    expect(retryDelayMs(MAX_ATTEMPTS, () => 0)).toBe(6 * 3600_000);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`outbox worker on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const clock = { now: START };
    let peer: SmtpPeer;
    let logs: LogCapture;
    let lines: string[];
    let workers: OutboxWorker[];

    const advance = (ms: number) => {
      clock.now = new Date(clock.now.getTime() + ms);
    };

    /** A worker on the test database whose start-up pass has finished, driven by drain() unless nudged. */
    async function started(
      options: { smtp?: boolean; leaseMs?: number; stopWaitMs?: number; concurrency?: number } = {},
    ): Promise<OutboxWorker> {
      const { db, dialect: name } = store.current();
      const transport = createMailTransport({
        smtpUrl: options.smtp === false ? undefined : peer.url,
        dataDir: store.dataDir(),
        from: "Undersigned <letters@example.org>",
        ...(options.concurrency ? { connections: options.concurrency } : {}),
      });
      const worker = startOutboxWorker({
        db,
        dialect: name,
        transport,
        log: createLogger("info", logs),
        now: () => clock.now,
        announce: (line) => lines.push(line),
        pollMs: 60_000,
        ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
        ...(options.stopWaitMs ? { stopWaitMs: options.stopWaitMs } : {}),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      });
      workers.push(worker);
      await worker.drain();
      return worker;
    }

    const enqueue = (mail: Partial<OutgoingMail> = {}) =>
      enqueueMail(
        store.current().db,
        {
          purpose: "confirmation",
          to: ADDRESS,
          subject: BURMESE_SUBJECT,
          text: `Confirm your endorsement: ${LINK}`,
          html: `<p><a href="${LINK}">Confirm</a></p>`,
          headers: { "List-Unsubscribe": `<${LINK}>` },
          ...mail,
        },
        clock.now,
        "example.org",
      );

    const row = (id: number) =>
      store
        .current()
        .db.selectFrom("outbox_messages")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();

    const expectErased = async (id: number) => {
      const stored = await row(id);
      expect(stored).toMatchObject({ to_address: null, text_body: "", html_body: null, headers: "{}" });
      const everything = JSON.stringify(stored);
      expect(everything).not.toContain("ko.aung");
      expect(everything).not.toContain("OneTimeToken");
    };

    const expectNothingIdentifyingLogged = () => {
      expect(logs.text).not.toContain("ko.aung");
      expect(logs.text).not.toContain("OneTimeToken");
      expect(lines.join("\n")).not.toContain("ko.aung");
    };

    beforeAll(async () => {
      peer = await startSmtpPeer();
    });
    beforeEach(async () => {
      clock.now = START;
      logs = new LogCapture();
      lines = [];
      workers = [];
      peer.onRecipient = () => undefined;
      peer.onMessage = () => undefined;
      peer.accepted.length = 0;
      await store.current().db.deleteFrom("outbox_messages").execute();
    });
    afterEach(async () => {
      await Promise.all(workers.map((w) => w.stop()));
    });
    afterAll(async () => {
      await peer.close();
    });

    it("sends an accepted message once, then erases the address, the bodies and their links", async () => {
      const worker = await started();
      expect(lines).toEqual([`Mail goes out via SMTP through 127.0.0.1:${peer.port}`]);
      const id = await enqueue();
      const { message_id } = await row(id);

      expect(await worker.drain()).toBe(1);
      expect(await worker.drain()).toBe(0);

      expect(peer.count(message_id)).toBe(1);
      const received = peer.accepted.find((m) => m.messageId === message_id)!;
      expect(received.subject).toBe(BURMESE_SUBJECT);
      expect(received.text).toContain(LINK);
      expect(received.headerLines.some((h) => h.line === `List-Unsubscribe: <${LINK}>`)).toBe(true);
      expect(await row(id)).toMatchObject({
        state: "sent",
        attempts: 1,
        sent_at: START.toISOString(),
        lease_until: null,
        subject: BURMESE_SUBJECT,
        message_id,
      });
      await expectErased(id);
      expectNothingIdentifyingLogged();
    });

    it("retries a deferred message after its backoff, then sends it exactly once", async () => {
      peer.onMessage = (_mail, attempt) =>
        attempt === 1 ? { code: 451, message: "4.3.0 Mailbox busy, try again later" } : undefined;
      const worker = await started();
      const id = await enqueue();
      const { message_id } = await row(id);

      expect(await worker.drain()).toBe(1);
      const deferred = await row(id);
      expect(deferred).toMatchObject({
        state: "pending",
        attempts: 1,
        to_address: ADDRESS,
        lease_until: null,
        last_error: "451 4.3.0 Mailbox busy, try again later",
      });
      const wait = Date.parse(deferred.next_attempt_at) - START.getTime();
      expect(wait).toBeGreaterThanOrEqual(48_000);
      expect(wait).toBeLessThanOrEqual(72_000);

      advance(40_000);
      expect(await worker.drain()).toBe(0);
      advance(40_000);
      expect(await worker.drain()).toBe(1);

      expect(peer.count(message_id)).toBe(1);
      expect(await row(id)).toMatchObject({ state: "sent", attempts: 2 });
      await expectErased(id);
      expectNothingIdentifyingLogged();
    });

    it("fails a rejected message with the peer's answer, keeps no address, and never retries it", async () => {
      peer.onRecipient = (address) => ({
        code: 550,
        message: `5.1.1 <${address}>: Recipient address rejected`,
      });
      const worker = await started();
      const id = await enqueue();

      expect(await worker.drain()).toBe(1);
      expect(await row(id)).toMatchObject({
        state: "failed",
        attempts: 1,
        last_error: "550 5.1.1 <[address]>: Recipient address rejected",
        sent_at: null,
      });
      await expectErased(id);

      advance(7 * 24 * 3600_000);
      expect(await worker.drain()).toBe(0);
      expect(peer.accepted).toHaveLength(0);
      expectNothingIdentifyingLogged();
    });

    it(`gives up after ${MAX_ATTEMPTS} temporary failures and records the last answer`, async () => {
      peer.onMessage = () => ({ code: 452, message: "4.2.2 Mailbox full" });
      const worker = await started();
      const id = await enqueue();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(await worker.drain()).toBe(1);
        expect((await row(id)).state).toBe(attempt < MAX_ATTEMPTS ? "pending" : "failed");
        advance(7 * 3600_000);
      }
      expect(await worker.drain()).toBe(0);
      expect(await row(id)).toMatchObject({ attempts: MAX_ATTEMPTS, last_error: "452 4.2.2 Mailbox full" });
      await expectErased(id);
    });

    /** What a worker leaves behind when it dies mid-send: the message claimed, leased, its attempt counted. */
    const leftByADeadWorker = (id: number, attempts: number, leaseUntil: Date) =>
      store
        .current()
        .db.updateTable("outbox_messages")
        .set({ state: "sending", attempts, lease_until: leaseUntil.toISOString() })
        .where("id", "=", id)
        .execute();

    it("leaves a message claimed by a dead worker alone until its lease runs out, then sends it once", async () => {
      const worker = await started();
      const id = await enqueue();
      const { message_id } = await row(id);
      await leftByADeadWorker(id, 1, new Date(START.getTime() + LEASE_MS));

      expect(await worker.drain()).toBe(0);
      advance(LEASE_MS - 1000);
      expect(await worker.drain()).toBe(0);
      expect(peer.count(message_id)).toBe(0);

      advance(1000);
      expect(await worker.drain()).toBe(1);
      expect(peer.count(message_id)).toBe(1);
      expect(await row(id)).toMatchObject({ state: "sent", attempts: 2 });
    });

    it("gives up without sending when the last allowed attempt was interrupted", async () => {
      const worker = await started();
      const id = await enqueue();
      const { message_id } = await row(id);
      await leftByADeadWorker(id, MAX_ATTEMPTS, START);

      expect(await worker.drain()).toBe(1);
      expect(peer.count(message_id)).toBe(0);
      expect(await row(id)).toMatchObject({
        state: "failed",
        last_error: `gave up after ${MAX_ATTEMPTS} attempts; the last one was interrupted`,
      });
      await expectErased(id);
    });

    it("never sends the same message twice when two workers drain the same database together", async () => {
      const [first, second] = [await started(), await started()];
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) ids.push(await enqueue({ subject: `Message ${i}` }));

      const [a, b] = await Promise.all([first!.drain(), second!.drain()]);
      expect(a + b).toBe(30);

      const rows = await store.current().db.selectFrom("outbox_messages").selectAll().execute();
      expect(rows.every((r) => r.state === "sent" && r.attempts === 1)).toBe(true);
      for (const r of rows) expect(peer.count(r.message_id)).toBe(1);
      expect(peer.accepted).toHaveLength(30);
    });

    it("keeps renewing its lease while a slow peer answers, so no other worker takes the message", async () => {
      peer.onMessage = () => sleep(1500).then(() => undefined);
      const slow = await started({ leaseMs: 400 });
      const other = await started();
      const id = await enqueue();
      const { message_id } = await row(id);

      const sending = slow.drain();
      await waitFor(async () => (await row(id)).state === "sending");
      // Far past the lease it was claimed with; only renewals (every leaseMs / 4) keep it.
      advance(1000);
      await sleep(500);
      expect(await other.drain()).toBe(0);

      expect(await sending).toBe(1);
      expect(peer.count(message_id)).toBe(1);
      expect(await row(id)).toMatchObject({ state: "sent", attempts: 1 });
    });

    it("wakes up on nudge() instead of waiting for the next poll", async () => {
      const worker = await started();
      const id = await enqueue();
      const { message_id } = await row(id);
      worker.nudge();
      await waitFor(() => peer.count(message_id) === 1);
      await waitFor(async () => (await row(id)).state === "sent");
    });

    it("sends several messages at once, each exactly once, over as many connections", async () => {
      // The peer holds every message until three are in its hands at the same time: a worker sending one at
      // a time never gets there, and the drain below never ends.
      const held: (() => void)[] = [];
      let mostAtOnce = 0;
      peer.onMessage = () =>
        new Promise<undefined>((resolve) => {
          held.push(() => resolve(undefined));
          mostAtOnce = Math.max(mostAtOnce, held.length);
          if (held.length === 3) for (const release of held.splice(0)) release();
        });
      const worker = await started({ concurrency: 3 });
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push(await enqueue({ to: `signer${i}@example.net` }));

      expect(await worker.drain()).toBe(6);
      expect(mostAtOnce).toBe(3);
      expect(peer.accepted).toHaveLength(6);
      const messageIds = await Promise.all(ids.map(async (id) => (await row(id)).message_id));
      for (const messageId of messageIds) expect(peer.count(messageId)).toBe(1);
      for (const id of ids) expect(await row(id)).toMatchObject({ state: "sent", attempts: 1 });
    });

    it("sends at once what this process says it queued, without waiting for its poll", async () => {
      await started();
      const id = await enqueue();
      const { message_id } = await row(id);
      mailQueued();
      await waitFor(() => peer.count(message_id) === 1);
      await waitFor(async () => (await row(id)).state === "sent");
    });

    it("lets the message being sent finish when stopped, and takes no more", async () => {
      peer.onMessage = () => sleep(300).then(() => undefined);
      const worker = await started({ stopWaitMs: 1500 });
      const first = await enqueue();
      const second = await enqueue();
      const sending = worker.drain();
      await waitFor(async () => (await row(first)).state === "sending");

      await worker.stop();
      expect(await sending).toBe(1);
      expect(await row(first)).toMatchObject({ state: "sent" });
      expect(await row(second)).toMatchObject({ state: "pending", attempts: 0 });
      expect(await worker.drain()).toBe(0);
    });

    it("stops within its bound even when the peer never answers", async () => {
      peer.onMessage = () => sleep(5000).then(() => undefined);
      const worker = await started({ stopWaitMs: 300 });
      const id = await enqueue();
      void worker.drain().catch(() => {});
      await waitFor(async () => (await row(id)).state === "sending");

      const began = Date.now();
      await worker.stop();
      expect(Date.now() - began).toBeLessThan(1000);
      expect(logs.text).toContain("stopping while a mail is still being sent");
    });

    it("keeps no moment of a signer's mail: queued by day, leased and retried at whole hours, deleted once sent, logged only at debug", async () => {
      clock.now = new Date("2026-03-01T10:17:23.456Z");
      peer.onMessage = () => ({ code: 451, message: "4.3.0 Try again later" });
      const worker = await started();
      const id = await enqueue({ signerCaused: true });
      expect(id).toBeGreaterThanOrEqual(100_000_000);
      expect(await row(id)).toMatchObject({
        signer_caused: 1,
        created_at: "2026-03-01T00:00:00.000Z",
        next_attempt_at: "2026-03-01T00:00:00.000Z",
      });

      // Deferred: the next try is at a whole hour, at least an hour after the signer's moment.
      expect(await worker.drain()).toBe(1);
      const deferred = await row(id);
      expect(deferred).toMatchObject({ state: "pending", attempts: 1, lease_until: null });
      expect(deferred.next_attempt_at).toMatch(/T\d\d:00:00\.000Z$/);
      expect(new Date(deferred.next_attempt_at).getTime() - clock.now.getTime()).toBeGreaterThan(3600_000);

      // Claimed again: the lease runs to the end of the next whole hour, renewals included.
      clock.now = new Date(deferred.next_attempt_at);
      peer.onMessage = () => sleep(200).then(() => undefined);
      const sending = worker.drain();
      await waitFor(async () => (await row(id).catch(() => undefined))?.state === "sending");
      expect((await row(id)).lease_until).toBe(
        new Date(new Date(deferred.next_attempt_at).getTime() + 2 * 3600_000).toISOString(),
      );
      expect(await sending).toBe(1);

      // Sent: the row is gone, not kept for the console; the Date header is the day's midnight.
      const gone = await store
        .current()
        .db.selectFrom("outbox_messages")
        .select("id")
        .where("id", "=", id)
        .executeTakeFirst();
      expect(gone).toBeUndefined();
      expect(peer.accepted).toHaveLength(1);
      expect(peer.accepted[0]!.date?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
      // At the default level nothing about it was written.
      expect(logs.text).toBe("");
      expect(lines).toHaveLength(1);
    });

    it("stores mail in the local mailbox when SMTP_URL is unset, announcing each one without its address", async () => {
      const worker = await started({ smtp: false });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^Mail goes to the local mailbox in .*mailbox \(SMTP_URL not set\)$/);
      const id = await enqueue({ subject: "Reset your password", text: `Reset it here: ${LINK}` });

      expect(await worker.drain()).toBe(1);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^Mail "Reset your password" stored in \S+\.eml \(SMTP_URL not set\)$/);
      const mailbox = await readLocalMailbox(store.dataDir(), 100, clock.now);
      expect(mailbox).toHaveLength(1);
      expect(mailbox[0]).toMatchObject({ subject: "Reset your password", date: START.toISOString() });
      expect(mailbox[0]!.text).toContain(LINK);
      expect(lines[1]).toContain(mailbox[0]!.id);
      expect(await row(id)).toMatchObject({ state: "sent" });
      await expectErased(id);
      expectNothingIdentifyingLogged();
    });
  });
}
