import { fromBase64, toBase64 } from "./bytes.ts";

/*
 * C2SP tlog-proof@v1: an offline-verifiable receipt. Our `extra` carries the entry itself, so a receipt
 * file alone lets anyone recompute the leaf hash.
 */

export const PROOF_HEADER = "c2sp.org/tlog-proof@v1";

export type TlogProof = { extra: Uint8Array | null; index: number; proof: Uint8Array[]; checkpoint: string };

export function formatTlogProof(p: TlogProof): string {
  const lines = [PROOF_HEADER];
  if (p.extra) lines.push(`extra ${toBase64(p.extra)}`);
  lines.push(`index ${p.index}`);
  for (const hash of p.proof) lines.push(toBase64(hash));
  return `${lines.join("\n")}\n\n${p.checkpoint}`;
}

/** Null unless the text is a well-formed tlog proof (the checkpoint inside is verified separately). */
export function parseTlogProof(text: string): TlogProof | null {
  const normalised = text.replace(/\r\n/g, "\n");
  const split = normalised.indexOf("\n\n");
  if (split < 0) return null;
  const lines = normalised.slice(0, split).split("\n");
  const checkpoint = normalised.slice(split + 2);
  if (lines.shift() !== PROOF_HEADER) return null;
  let extra: Uint8Array | null = null;
  if (lines[0]?.startsWith("extra ")) {
    extra = fromBase64(lines.shift()!.slice("extra ".length));
    if (!extra) return null;
  }
  const indexLine = /^index (0|[1-9][0-9]{0,15})$/.exec(lines.shift() ?? "");
  if (!indexLine || !Number.isSafeInteger(Number(indexLine[1]))) return null;
  const proof: Uint8Array[] = [];
  for (const line of lines) {
    const hash = fromBase64(line);
    if (hash?.length !== 32) return null;
    proof.push(hash);
  }
  if (proof.length > 63) return null;
  return { extra, index: Number(indexLine[1]), proof, checkpoint };
}
