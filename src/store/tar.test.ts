import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTar, type TarEntry, tarChunks } from "./tar.ts";

async function archive(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of tarChunks(
    (async function* () {
      yield* entries;
    })(),
  ))
    chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function unpack(bytes: Buffer): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  for await (const entry of readTar(
    (async function* () {
      yield bytes;
    })(),
  ))
    entries.push(entry);
  return entries;
}

const LONG = `data/deliveries/${"a".repeat(64)}/${"b".repeat(90)}.pdf`;

describe("the backup's tar archive", () => {
  it("round-trips files, a name longer than 100 bytes among them, and GNU tar reads it too", async () => {
    const entries = [
      { name: "manifest.json", bytes: Buffer.from("{}") },
      { name: LONG, bytes: Buffer.alloc(1000, 7) },
      { name: "data/uploads/empty.png", bytes: Buffer.alloc(0) },
    ];
    const bytes = await archive(entries);
    expect(await unpack(bytes)).toEqual(entries.map((e) => ({ name: e.name, bytes: Buffer.from(e.bytes) })));
    const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-tar-"));
    try {
      writeFileSync(path.join(dir, "a.tar"), bytes);
      const listing = execFileSync("tar", ["tvf", path.join(dir, "a.tar")]).toString();
      expect(listing).toContain(LONG);
      expect(listing).toMatch(/^-rw------- 0\/0\s+2 1970-01-01/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a damaged header and a truncated archive", async () => {
    const bytes = await archive([{ name: "manifest.json", bytes: Buffer.from("{}") }]);
    const damaged = Buffer.from(bytes);
    damaged[3] = 0x41;
    await expect(unpack(damaged)).rejects.toThrow(/checksum/);
    await expect(unpack(bytes.subarray(0, 700))).rejects.toThrow(/ends early/);
  });
});
