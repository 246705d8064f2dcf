import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailboxDir, readLocalMailbox } from "./mailbox.ts";
import { createMailTransport } from "./transports.ts";

describe("reading the local mailbox", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-mailbox-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const store = (subject: string, date: string, text = "Body") =>
    createMailTransport({ smtpUrl: undefined, dataDir, from: "Undersigned <letters@example.org>" }).send({
      messageId: `<${subject.length}.${date}@example.org>`,
      date: new Date(date),
      to: "someone@example.net",
      subject,
      text,
      html: null,
      headers: {},
      attachments: [],
    });

  it("is empty before any mail was stored", async () => {
    expect(await readLocalMailbox(dataDir)).toEqual([]);
  });

  it("lists messages newest first with their date, subject and text, in Burmese too", async () => {
    await store("Set up your account", "2026-03-01T09:00:00.000Z", "Open https://x.example/setup/abc");
    await store("အတည်ပြုပါ", "2026-03-03T09:00:00.000Z", "မင်္ဂလာပါ");
    await store("Reset your password", "2026-03-02T09:00:00.000Z");
    const mails = await readLocalMailbox(dataDir);
    expect(mails.map((m) => m.subject)).toEqual(["အတည်ပြုပါ", "Reset your password", "Set up your account"]);
    expect(mails[0]).toMatchObject({ date: "2026-03-03T09:00:00.000Z", text: "မင်္ဂလာပါ" });
    expect(mails[2]!.text).toContain("https://x.example/setup/abc");
    expect(mails[0]!.id).toMatch(/^20260303T090000000Z-[0-9a-f]{16}$/);
  });

  it("returns at most `limit` messages, the newest", async () => {
    await store("first", "2026-03-01T09:00:00.000Z");
    await store("second", "2026-03-02T09:00:00.000Z");
    expect((await readLocalMailbox(dataDir, 1)).map((m) => m.subject)).toEqual(["second"]);
  });

  it("ignores temp files and anything that is not a stored message", async () => {
    await store("kept", "2026-03-01T09:00:00.000Z");
    writeFileSync(
      path.join(mailboxDir(dataDir), ".20260301T090000000Z-0123456789abcdef.1a2b.tmp"),
      "Subject: x",
    );
    writeFileSync(path.join(mailboxDir(dataDir), "notes.txt"), "Subject: x");
    expect((await readLocalMailbox(dataDir)).map((m) => m.subject)).toEqual(["kept"]);
  });
});
