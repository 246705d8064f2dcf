import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { createMailTransport, MailSendError, type MailTransport, type OutboundMail } from "./transports.ts";

const FROM = "Undersigned <letters@example.org>";
const BURMESE_SUBJECT = "သင်၏ စကားဝှက်ကို ပြန်သတ်မှတ်ပါ";

const mail = (overrides: Partial<OutboundMail> = {}): OutboundMail => ({
  messageId: `<${Math.random().toString(16).slice(2)}@example.org>`,
  date: new Date("2026-03-01T09:00:00.000Z"),
  to: "someone@example.net",
  subject: BURMESE_SUBJECT,
  text: "Open https://letters.example.org/reset/one-time-token to continue.",
  html: null,
  headers: { "List-Unsubscribe": "<https://letters.example.org/unsubscribe/t>" },
  attachments: [],
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<MailSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailSendError);
  return error as MailSendError;
}

describe("SMTP transport, against a real SMTP peer", () => {
  let peer: SmtpPeer;
  let transport: MailTransport;
  const dataDir = "/nonexistent";

  beforeAll(async () => {
    peer = await startSmtpPeer();
    transport = createMailTransport({ smtpUrl: peer.url, dataDir, from: FROM });
  });
  afterEach(() => {
    peer.onRecipient = () => undefined;
    peer.onMessage = () => undefined;
  });
  afterAll(async () => {
    await transport.close();
    await peer.close();
  });

  it("delivers a MIME message with its fixed Message-ID, Date and a UTF-8 Burmese subject", async () => {
    const message = mail();
    const result = await transport.send(message);
    expect(result).toMatchObject({ accepted: true, response: expect.stringMatching(/^250 /) });
    expect(result.storedAt).toBeUndefined();
    const received = peer.accepted.find((m) => m.messageId === message.messageId)!;
    expect(received.subject).toBe(BURMESE_SUBJECT);
    expect(received.date?.toISOString()).toBe("2026-03-01T09:00:00.000Z");
    expect(received.text?.trim()).toBe(message.text);
    expect(received.headerLines.find((h) => h.key === "list-unsubscribe")?.line).toBe(
      "List-Unsubscribe: <https://letters.example.org/unsubscribe/t>",
    );
    expect(received.from?.text).toBe('"Undersigned" <letters@example.org>');
  });

  it("classifies a 4xx answer as temporary, with the code and the answer", async () => {
    peer.onMessage = () => ({ code: 451, message: "4.3.0 Try again later" });
    const error = await failure(transport.send(mail()));
    expect(error.kind).toBe("temporary");
    expect(error.smtpCode).toBe(451);
    expect(error.response).toContain("451 4.3.0 Try again later");
  });

  it("classifies a 5xx answer as permanent and keeps no address from the answer", async () => {
    peer.onRecipient = (address) => ({
      code: 550,
      message: `5.1.1 <${address}>: Recipient address rejected`,
    });
    const error = await failure(transport.send(mail()));
    expect(error.kind).toBe("permanent");
    expect(error.smtpCode).toBe(550);
    expect(error.response).toBe("550 5.1.1 <[address]>: Recipient address rejected");
    expect(error.response).not.toContain("someone@example.net");
    expect(error.message).not.toContain("someone@example.net");
  });

  it("classifies an address nodemailer cannot use as permanent, before talking to the peer", async () => {
    const error = await failure(transport.send(mail({ to: "not an address" })));
    expect(error.kind).toBe("permanent");
    expect(error.smtpCode).toBeUndefined();
  });

  it("recovers on the next message after a rejection on the same pooled connection", async () => {
    peer.onRecipient = () => ({ code: 550, message: "5.1.1 No such user" });
    await failure(transport.send(mail()));
    peer.onRecipient = () => undefined;
    await expect(transport.send(mail())).resolves.toMatchObject({ accepted: true });
  });

  it("describes itself by host and port only", () => {
    expect(transport.description).toBe(`out via SMTP through 127.0.0.1:${peer.port}`);
  });
});

describe("SMTP transport, when the peer is unreachable or refuses our credentials", () => {
  it("classifies a refused connection as temporary, without a code", async () => {
    const port = await closedPort();
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, dataDir: "/x", from: FROM });
    const error = await failure(transport.send(mail()));
    await transport.close();
    expect(error.kind).toBe("temporary");
    expect(error.smtpCode).toBeUndefined();
    expect(error.response).toMatch(/ECONNREFUSED/);
  });

  it("treats a rejected login (535) as temporary: the fix is SMTP_URL, not giving up on every message", async () => {
    const peer = await startSmtpPeer({ auth: { user: "letters", pass: "right" } });
    const wrong = createMailTransport({
      smtpUrl: `smtp://letters:wr%40ng@127.0.0.1:${peer.port}`,
      dataDir: "/x",
      from: FROM,
    });
    const right = createMailTransport({
      smtpUrl: `smtp://letters:right@127.0.0.1:${peer.port}`,
      dataDir: "/x",
      from: FROM,
    });
    try {
      expect(wrong.description).not.toContain("wr");
      const error = await failure(wrong.send(mail()));
      expect(error.kind).toBe("temporary");
      expect(error.smtpCode).toBe(535);
      await expect(right.send(mail())).resolves.toMatchObject({ accepted: true });
    } finally {
      await wrong.close();
      await right.close();
      await peer.close();
    }
  });
});

describe("local mailbox transport", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-mailbox-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("stores a parseable RFC 822 message, private to the server's user, and no temp file", async () => {
    const transport = createMailTransport({ smtpUrl: undefined, dataDir, from: FROM });
    expect(transport.description).toMatch(/^to the local mailbox in .*mailbox \(SMTP_URL not set\)$/);
    const message = mail({ html: "<p>Open the link</p>" });
    const storedAt = new Date("2026-03-01T09:00:05.000Z");
    const result = await transport.send(message, storedAt);
    expect(result.accepted).toBe(true);
    const file = path.join(dataDir, "mailbox", readdirSync(path.join(dataDir, "mailbox"))[0]!);
    expect(readdirSync(path.join(dataDir, "mailbox"))).toHaveLength(1);
    // Named, and dated on disk, by the day only: neither tells when in the day it was stored.
    expect(file).toMatch(/\/20260301-[0-9a-f]{16}\.eml$/);
    expect(statSync(file).mtime.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(statSync(path.join(dataDir, "mailbox")).mtime.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(result.storedAt).toBeDefined();
    expect(path.resolve(result.storedAt!)).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, "mailbox")).mode & 0o777).toBe(0o700);
    const parsed = await simpleParser(readFileSync(file));
    expect(parsed.subject).toBe(BURMESE_SUBJECT);
    expect(parsed.messageId).toBe(message.messageId);
    expect(parsed.html).toContain("Open the link");
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : "").toBe("someone@example.net");
  });

  it("stores a retried message in place of the first copy, never beside it", async () => {
    const transport = createMailTransport({ smtpUrl: undefined, dataDir, from: FROM });
    const message = mail({ date: new Date("2026-03-02T10:00:00.000Z") });
    const first = await transport.send(message, new Date("2026-03-02T10:00:01.000Z"));
    const second = await transport.send(message, new Date("2026-03-02T10:05:00.000Z"));
    expect(second.storedAt).toBe(first.storedAt);
    expect(readdirSync(path.join(dataDir, "mailbox")).filter((n) => n.startsWith("20260302"))).toHaveLength(
      1,
    );
  });

  it("keeps no signer's address in the mailbox copy of a signer's mail", async () => {
    const transport = createMailTransport({ smtpUrl: undefined, dataDir, from: FROM });
    const result = await transport.send(
      mail({ signerCaused: true, messageId: "<signer@example.org>" }),
      new Date("2026-03-02T11:00:00.000Z"),
    );
    const raw = readFileSync(result.storedAt!, "utf8");
    expect(raw).not.toContain("someone@example.net");
    expect(raw).toContain("undisclosed-recipients");
  });

  it("reports a mailbox it cannot write to as a temporary failure", async () => {
    // A data directory that is a file: the mailbox directory cannot be created inside it.
    const notADirectory = path.join(dataDir, "file");
    writeFileSync(notADirectory, "");
    const transport = createMailTransport({ smtpUrl: undefined, dataDir: notADirectory, from: FROM });
    const error = await failure(transport.send(mail()));
    expect(error.kind).toBe("temporary");
    expect(error.response).toMatch(/ENOTDIR/);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
