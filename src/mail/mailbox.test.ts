import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eraseLocalMail, mailboxDir, readLocalMailbox } from "./mailbox.ts";
import { createMailTransport } from "./transports.ts";

describe("reading the local mailbox", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-mailbox-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  /** Stores a message dated `date`, at `date` unless the mailbox is given another moment. */
  const store = (subject: string, date: string, text = "Body", storedAt = date) =>
    createMailTransport({ smtpUrl: undefined, dataDir, from: "Undersigned <letters@example.org>" }).send(
      {
        messageId: `<${subject.length}.${date}@example.org>`,
        date: new Date(date),
        to: "someone@example.net",
        subject,
        text,
        html: null,
        headers: {},
        attachments: [],
      },
      new Date(storedAt),
    );
  const read = (at: string, limit?: number) => readLocalMailbox(dataDir, limit, new Date(at));

  it("is empty before any mail was stored", async () => {
    expect(await read("2026-03-01T09:00:00.000Z")).toEqual([]);
  });

  it("lists messages newest first with their date, subject and text, in Burmese too", async () => {
    await store("Set up your account", "2026-03-03T07:00:00.000Z", "Open https://x.example/setup/abc");
    await store("အတည်ပြုပါ", "2026-03-03T09:00:00.000Z", "မင်္ဂလာပါ");
    await store("Reset your password", "2026-03-03T08:00:00.000Z");
    const mails = await read("2026-03-03T10:00:00.000Z");
    expect(mails.map((m) => m.subject)).toEqual(["အတည်ပြုပါ", "Reset your password", "Set up your account"]);
    expect(mails[0]).toMatchObject({ date: "2026-03-03T09:00:00.000Z", text: "မင်္ဂလာပါ" });
    expect(mails[2]!.text).toContain("https://x.example/setup/abc");
    expect(mails[0]!.id).toMatch(/^20260303-[0-9a-f]{16}$/);
  });

  it("returns at most `limit` messages, the newest", async () => {
    await store("first", "2026-03-01T09:00:00.000Z", "Body", "2026-03-02T01:00:00.000Z");
    await store("second", "2026-03-02T09:00:00.000Z");
    expect((await read("2026-03-02T10:00:00.000Z", 1)).map((m) => m.subject)).toEqual(["second"]);
  });

  it("keeps a message until its day is over, never longer, and no file says when in the day it came", async () => {
    await store("late", "2026-03-01T23:30:00.000Z");
    const files = readdirSync(mailboxDir(dataDir));
    expect(files).toHaveLength(1);
    expect(statSync(path.join(mailboxDir(dataDir), files[0]!)).mtime.toISOString()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    expect((await read("2026-03-01T23:59:59.999Z")).map((m) => m.subject)).toEqual(["late"]);
    expect(await read("2026-03-02T00:00:00.000Z")).toEqual([]);
    expect(readdirSync(mailboxDir(dataDir))).toEqual([]);
  });

  it("erases one message by its Message-ID, on whichever day since the one given it was stored", async () => {
    await store("kept", "2026-03-01T09:00:00.000Z");
    await store("confirmed", "2026-03-01T09:30:00.000Z");
    await eraseLocalMail(
      dataDir,
      "<9.2026-03-01T09:30:00.000Z@example.org>",
      new Date("2026-03-01T10:00:00Z"),
    );
    expect((await read("2026-03-01T10:00:00.000Z")).map((m) => m.subject)).toEqual(["kept"]);
    expect(statSync(mailboxDir(dataDir)).mtime.toISOString()).toBe("2026-03-01T00:00:00.000Z");

    // Stored the day before, confirmed today: found under yesterday's name, not only today's.
    await store("yesterday's", "2026-03-01T23:00:00.000Z");
    await eraseLocalMail(
      dataDir,
      "<11.2026-03-01T23:00:00.000Z@example.org>",
      new Date("2026-03-02T08:00:00Z"),
      new Date("2026-03-01T12:00:00Z"),
    );
    expect(readdirSync(mailboxDir(dataDir)).filter((name) => name.startsWith("20260301"))).toHaveLength(1);
    expect(statSync(mailboxDir(dataDir)).mtime.toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });

  it("ignores temp files and anything that is not a stored message", async () => {
    await store("kept", "2026-03-01T09:00:00.000Z");
    writeFileSync(path.join(mailboxDir(dataDir), ".20260301-0123456789abcdef.1a2b.tmp"), "Subject: x");
    writeFileSync(path.join(mailboxDir(dataDir), "notes.txt"), "Subject: x");
    expect((await read("2026-03-01T10:00:00.000Z")).map((m) => m.subject)).toEqual(["kept"]);
  });
});
