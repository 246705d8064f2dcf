import { Worker } from "node:worker_threads";
import { nativeSodium } from "./native-sodium.ts";
import { boxBackend, sealWith } from "./seal.ts";

/*
 * Sealing many boxes at once, for imports: a BoxSealer takes a batch's plaintexts and returns their boxes
 * (standard base64, as seal() writes them) in the same order.
 */

export type BoxSealer = (plaintexts: readonly string[], publicKey: string) => Promise<string[]>;

/** Seals in this thread, with the process's backend (native where it loads). */
export const sealInThisThread: BoxSealer = async (plaintexts, publicKey) => {
  const backend = await boxBackend();
  return plaintexts.map((p) => sealWith(backend, p, publicKey));
};

/**
 * Seals in a worker thread of its own, with sodium-native: an import's next batch is sealed on the other
 * core while this thread reads, checks and stores the rows around it. Where sodium-native does not load,
 * the WebAssembly build seals in this thread instead (a worker would need the TypeScript loader for it and
 * would win little). `close` ends the thread; the sealer must not be used after it.
 */
export function sealingThread(): { sealer: BoxSealer; close: () => Promise<void> } {
  if (!nativeSodium) return { sealer: sealInThisThread, close: async () => {} };
  // It holds a batch or two of plaintexts and boxes at a time (well under a megabyte each). Left to V8's
  // defaults its heap grows to tens of megabytes of garbage before collecting, which an import's peak
  // memory pays for; a small young generation is collected often and cheaply instead.
  const worker = new Worker(new URL("./seal-worker.mjs", import.meta.url), {
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
  });
  // An idle sealer must not keep the process alive; a pending batch keeps it referenced.
  worker.unref();
  const waiting = new Map<number, { resolve: (boxes: string[]) => void; reject: (error: Error) => void }>();
  let next = 0;
  let stopped: Error | undefined;
  const failAll = (error: Error) => {
    stopped ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on("message", (answer: { id: number; boxes?: string[]; error?: string }) => {
    const w = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (waiting.size === 0) worker.unref();
    if (answer.boxes) w?.resolve(answer.boxes);
    else w?.reject(new Error(`the sealing thread could not seal: ${answer.error}`));
  });
  worker.on("error", failAll);
  worker.on("exit", () => failAll(new Error("the sealing thread stopped")));
  return {
    sealer: (plaintexts, publicKey) =>
      new Promise((resolve, reject) => {
        if (stopped) return reject(stopped);
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ id, plaintexts, publicKey });
      }),
    close: async () => {
      stopped ??= new Error("the sealing thread was closed");
      await worker.terminate();
    },
  };
}
