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
