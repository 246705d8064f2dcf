import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { prepareDataDir } from "./data-dir.ts";
import { openStore } from "./db.ts";
import { writeFileWhole } from "./files.ts";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("DATA_DIR modes", () => {
  const roots: string[] = [];
  const scratch = () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "undersigned-modes-"));
    roots.push(root);
    return root;
  };
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it("creates DATA_DIR 0700, even under a permissive umask", () => {
    const dataDir = path.join(scratch(), "data", "nested");
    const previous = process.umask(0o022);
    try {
      prepareDataDir(dataDir);
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dataDir)).toBe(0o700);
  });

  it("tightens what an older version left readable: 0755 folders become 0700, 0644 files 0600", () => {
    const dataDir = path.join(scratch(), "data");
    mkdirSync(path.join(dataDir, "mailbox"), { recursive: true });
    writeFileSync(path.join(dataDir, "mailbox", "message.eml"), "x");
    writeFileSync(path.join(dataDir, "undersigned.sqlite"), "");
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, "mailbox"), 0o755);
    chmodSync(path.join(dataDir, "mailbox", "message.eml"), 0o644);
    chmodSync(path.join(dataDir, "undersigned.sqlite"), 0o644);

    prepareDataDir(dataDir);

    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, "mailbox"))).toBe(0o700);
    expect(modeOf(path.join(dataDir, "mailbox", "message.eml"))).toBe(0o600);
    expect(modeOf(path.join(dataDir, "undersigned.sqlite"))).toBe(0o600);
  });

  it("touches only its own files and folders when DATA_DIR also holds other things, and names those", () => {
    const dataDir = path.join(scratch(), "shared");
    mkdirSync(path.join(dataDir, "mailbox"), { recursive: true });
    mkdirSync(path.join(dataDir, "photos", "2026"), { recursive: true });
    writeFileSync(path.join(dataDir, "mailbox", "message.eml"), "x");
    writeFileSync(path.join(dataDir, "undersigned.sqlite"), "");
    writeFileSync(path.join(dataDir, "notes.txt"), "someone else's");
    writeFileSync(path.join(dataDir, "photos", "2026", "a.jpg"), "");
    // A file named like one of our folders is not ours either.
    writeFileSync(path.join(dataDir, "uploads"), "");
    symlinkSync(path.join(dataDir, "notes.txt"), path.join(dataDir, "link-to-notes"));
    for (const [entry, mode] of [
      ["", 0o755],
      ["mailbox", 0o755],
      ["mailbox/message.eml", 0o644],
      ["undersigned.sqlite", 0o644],
      ["notes.txt", 0o644],
      ["photos", 0o755],
      ["photos/2026", 0o775],
      ["photos/2026/a.jpg", 0o664],
      ["uploads", 0o644],
    ] as const)
      chmodSync(path.join(dataDir, entry), mode);

    const { foreign } = prepareDataDir(dataDir);

    expect(foreign.sort()).toEqual(["link-to-notes", "notes.txt", "photos", "uploads"]);
    // Ours: private.
    expect(modeOf(path.join(dataDir, "mailbox"))).toBe(0o700);
    expect(modeOf(path.join(dataDir, "mailbox", "message.eml"))).toBe(0o600);
    expect(modeOf(path.join(dataDir, "undersigned.sqlite"))).toBe(0o600);
    // Not ours: exactly as they were, the shared folder itself included.
    expect(modeOf(dataDir)).toBe(0o755);
    expect(modeOf(path.join(dataDir, "notes.txt"))).toBe(0o644);
    expect(modeOf(path.join(dataDir, "photos"))).toBe(0o755);
    expect(modeOf(path.join(dataDir, "photos", "2026"))).toBe(0o775);
    expect(modeOf(path.join(dataDir, "photos", "2026", "a.jpg"))).toBe(0o664);
    expect(modeOf(path.join(dataDir, "uploads"))).toBe(0o644);
  });

  it("keeps the SQLite file and its -wal and -shm files 0600", async () => {
    const dataDir = path.join(scratch(), "data");
    const previous = process.umask(0o022);
    try {
      const store = await openStore({ dataDir });
      await sql`create table probe (x integer)`.execute(store.db);
      await sql`insert into probe values (1)`.execute(store.db);
      for (const suffix of ["", "-wal", "-shm"]) {
        expect(modeOf(path.join(dataDir, `undersigned.sqlite${suffix}`)), suffix || "main file").toBe(0o600);
      }
      await store.close();
    } finally {
      process.umask(previous);
    }
    expect(modeOf(dataDir)).toBe(0o700);
  });

  it("writes uploads and cached PDFs 0600 in 0700 folders", async () => {
    const dataDir = path.join(scratch(), "data");
    const previous = process.umask(0o022);
    try {
      await writeFileWhole(path.join(dataDir, "responses", "r.pdf"), new Uint8Array([1, 2, 3]));
    } finally {
      process.umask(previous);
    }
    expect(modeOf(path.join(dataDir, "responses"))).toBe(0o700);
    expect(modeOf(path.join(dataDir, "responses", "r.pdf"))).toBe(0o600);
  });
});
