import { describe, expect, it } from "vitest";
import { openSealedWith, wasmBackend } from "./seal.ts";
import { sealingThread } from "./sealing.ts";

/*
 * The import's sealing thread (sodium-native in a worker): its boxes are the same kind the rest of the
 * code opens, in the order the plaintexts were given, batch after batch, and a closed thread fails loudly.
 */

describe("the sealing thread", () => {
  it("seals batches in order, in boxes the WebAssembly build opens, Burmese included", async () => {
    const wasm = await wasmBackend();
    const pair = wasm.keyPair();
    const keyPair = {
      publicKey: Buffer.from(pair.publicKey).toString("base64"),
      privateKey: Buffer.from(pair.privateKey).toString("base64"),
    };
    const thread = sealingThread();
    try {
      const batches = [
        Array.from({ length: 300 }, (_, i) => JSON.stringify({ v: 1, name: `Group ${i}` })),
        ["", "မြန်မာ ကွန်ရက်", "x".repeat(5_000)],
      ];
      const sealed = await Promise.all(batches.map((b) => thread.sealer(b, keyPair.publicKey)));
      for (const [i, batch] of batches.entries()) {
        expect(sealed[i]).toHaveLength(batch.length);
        expect(sealed[i]!.map((box) => openSealedWith(wasm, box, keyPair))).toEqual(batch);
      }
      // Sealed boxes are randomised: the same text twice gives two boxes.
      const [a, b] = await thread.sealer(["same", "same"], keyPair.publicKey);
      expect(a).not.toBe(b);
    } finally {
      await thread.close();
    }
    await expect(thread.sealer(["late"], keyPair.publicKey)).rejects.toThrow();
  });
});
