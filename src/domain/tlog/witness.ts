import { toBase64 } from "./bytes.ts";
import {
  COSIGNATURE_TYPE,
  ED25519_TYPE,
  keyId,
  openNote,
  parseVerifierKey,
  splitNote,
  type VerifierKey,
} from "./note.ts";

/*
 * The log's side of C2SP tlog-witness, and the reader's witness policy.
 *
 * The log POSTs to <witness URL>/add-checkpoint a body of "old <size>\n", the consistency proof from that
 * size as base64 lines, an empty line, then the signed checkpoint note. The witness answers 200 with its
 * tlog-cosignature/v1 note signature lines, 409 with the size it already holds (text/x.tlog.size) when the
 * old size is not it, or 403 (not signed by a key it knows), 404 (a log it does not witness), 422 (the
 * proof does not hold), 400 (malformed).
 *
 * A reader who trusts no single server asks for a checkpoint cosigned by at least k of the witnesses they
 * name: the log could show a different tree to someone else only by getting those witnesses to sign it.
 */

/** What the witness is called and how its cosignatures verify (always as type 0x04 cosignature keys). */
export function cosignatureKey(vkey: string): VerifierKey | null {
  const key = parseVerifierKey(vkey);
  if (!key) return null;
  // Witnesses often publish their key as a plain Ed25519 note key; its cosignatures carry the 0x04 key id.
  if (key.type === ED25519_TYPE) {
    return { ...key, type: COSIGNATURE_TYPE, keyId: keyId(key.name, COSIGNATURE_TYPE, key.publicKey) };
  }
  return key;
}

/** The body of an add-checkpoint request. */
export function addCheckpointBody(oldSize: number, proof: readonly Uint8Array[], note: string): string {
  return `old ${oldSize}\n${proof.map((hash) => `${toBase64(hash)}\n`).join("")}\n${note}`;
}

/** The size in a 409 answer, or null when the body is not one. */
export function parseConflictSize(body: string): number | null {
  const match = /^(0|[1-9][0-9]{0,15})\n?$/.exec(body);
  return match && Number.isSafeInteger(Number(match[1])) ? Number(match[1]) : null;
}

/**
 * The cosignature line of `witness` in a 200 answer to the checkpoint `note`, checked before it is kept:
 * a witness answering with a line that does not verify (or for another checkpoint) gives nothing.
 */
export function acceptedCosignature(body: string, note: string, witness: VerifierKey): string | null {
  const split = splitNote(note);
  if (!split) return null;
  for (const line of body.split("\n")) {
    if (line === "") continue;
    const cosigned = `${split.text}\n${line}\n`;
    const opened = openNote(cosigned, [witness]);
    if (opened?.verifiedBy.includes(witness)) return `${line}\n`;
  }
  return null;
}

/** The checkpoint note with the witnesses' cosignature lines after the log's own signature. */
export function withCosignatures(note: string, lines: readonly string[]): string {
  return `${note}${lines.join("")}`;
}

export type WitnessPolicy = { witnesses: VerifierKey[]; threshold: number };

/**
 * The reader's policy from `--witness VKEY` (repeated) and `--witnesses K`: a message when it cannot be
 * met by anyone (a bad key, K beyond the keys given). Without witnesses the policy asks for nothing.
 */
export function witnessPolicy(
  vkeys: readonly string[],
  threshold: number | undefined,
): WitnessPolicy | { problem: string } {
  const witnesses: VerifierKey[] = [];
  for (const text of vkeys) {
    const key = cosignatureKey(text);
    if (!key) return { problem: `not a witness verifier key: ${text}` };
    witnesses.push(key);
  }
  const k = threshold ?? witnesses.length;
  if (!Number.isSafeInteger(k) || k < 0 || k > witnesses.length)
    return {
      problem: `--witnesses must be a whole number from 0 to the ${witnesses.length} witnesses given`,
    };
  return { witnesses, threshold: k };
}

export type PolicyCheck = { ok: boolean; cosignedBy: string[] };

/**
 * Whether the note carries valid cosignatures from at least `threshold` of the policy's witnesses (and the
 * log's own signature). As signed-note requires, a known witness's signature that does not verify refuses
 * the whole note rather than counting as missing.
 */
export function meetsWitnessPolicy(note: string, logKey: VerifierKey, policy: WitnessPolicy): PolicyCheck {
  const opened = openNote(note, [logKey, ...policy.witnesses]);
  if (!opened?.verifiedBy.includes(logKey)) return { ok: false, cosignedBy: [] };
  const cosignedBy = opened.verifiedBy.filter((k) => k !== logKey).map((k) => k.name);
  return { ok: cosignedBy.length >= policy.threshold, cosignedBy };
}
