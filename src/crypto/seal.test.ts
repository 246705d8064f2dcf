import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_KEY_FILE } from "../store/data-dir.ts";
import { loadOrCreateDemoKey } from "./demo-key.ts";
import { generateKeyPair, isKeyPair, openSealed, seal } from "./seal.ts";

describe("sealed boxes", () => {
  it("opens with the key pair it was sealed to, and only with that one", async () => {
    const coalition = await generateKeyPair();
    const other = await generateKeyPair();
    const box = await seal("နမူနာ အဖွဲ့ · Example Group (demo)", coalition.publicKey);
    expect(box).not.toContain("Example");
    expect(await openSealed(box, coalition)).toBe("နမူနာ အဖွဲ့ · Example Group (demo)");
    await expect(openSealed(box, other)).rejects.toThrow();
    // Every seal uses a fresh ephemeral key: equal plaintexts do not give equal boxes.
    expect(await seal("same", coalition.publicKey)).not.toBe(await seal("same", coalition.publicKey));
  });

  it("refuses a tampered box", async () => {
    const pair = await generateKeyPair();
    const bytes = Buffer.from(await seal("hello", pair.publicKey), "base64");
    bytes[bytes.length - 1]! ^= 1;
    await expect(openSealed(bytes.toString("base64"), pair)).rejects.toThrow();
  });

  it("uses standard base64 keys of 32 bytes and checks them", async () => {
    const pair = await generateKeyPair();
    expect(Buffer.from(pair.publicKey, "base64")).toHaveLength(32);
    expect(Buffer.from(pair.privateKey, "base64")).toHaveLength(32);
    expect(await isKeyPair(pair)).toBe(true);
    expect(await isKeyPair({ ...pair, publicKey: (await generateKeyPair()).publicKey })).toBe(false);
    await expect(seal("x", Buffer.alloc(16).toString("base64"))).rejects.toThrow(/32 bytes/);
    await expect(seal("x", "not base64!")).rejects.toThrow(/base64/);
  });
});

describe("the demo key file", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date("2026-03-01T09:00:00.000Z");

  it("is created once, owner-only, saying it is a demo key, and reused afterwards", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-demo-key-"));
    const first = await loadOrCreateDemoKey(dir, now);
    expect(first.file).toBe(path.join(dir, DEMO_KEY_FILE));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const content = JSON.parse(readFileSync(first.file, "utf8"));
    expect(content.demo).toBe(true);
    expect(content.warning).toMatch(/^DEMO KEY - NOT FOR REAL USE/);
    expect(content.warning).toContain("Never use it to seal real endorsements");
    expect(content.publicKey).toBe(first.keyPair.publicKey);
    const second = await loadOrCreateDemoKey(dir, now);
    expect(second.keyPair).toEqual(first.keyPair);
  });

  it("agrees on one key when two starts race", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-demo-key-"));
    const results = await Promise.all([1, 2, 3].map(() => loadOrCreateDemoKey(dir, now)));
    const onDisk = JSON.parse(readFileSync(path.join(dir, DEMO_KEY_FILE), "utf8"));
    for (const r of results) expect(r.keyPair.publicKey).toBe(onDisk.publicKey);
  });

  it("never overwrites a damaged file, and says which file is at fault", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-demo-key-"));
    const file = path.join(dir, DEMO_KEY_FILE);
    writeFileSync(file, "{ not json");
    await expect(loadOrCreateDemoKey(dir, now)).rejects.toThrow(file);
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });
});
