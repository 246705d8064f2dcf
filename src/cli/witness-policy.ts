import type { VerifierKey } from "../domain/tlog/note.ts";
import { meetsWitnessPolicy, type WitnessPolicy, witnessPolicy } from "../domain/tlog/witness.ts";

/*
 * The witness policy of `undersigned verify`, shared by its two forms: `--witness VKEY` for each witness the
 * reader trusts and `--witnesses K`, how many of them must have cosigned the log's newest checkpoint (all of
 * them when K is not given). Without --witness nothing is asked of witnesses.
 */

export const WITNESS_OPTIONS = {
  witness: { type: "string", multiple: true },
  witnesses: { type: "string" },
} as const;

export const WITNESS_OPTIONS_HELP = `--witness VKEY (repeatable) and --witnesses K: the log's newest checkpoint must carry valid
cosignatures (C2SP tlog-witness) from at least K of these witnesses (all of them without --witnesses)`;

export function policyFromOptions(values: {
  witness?: string[];
  witnesses?: string;
}): WitnessPolicy | { problem: string } {
  const k = values.witnesses;
  if (k !== undefined && !/^[0-9]{1,4}$/.test(k)) return { problem: "--witnesses must be a whole number" };
  return witnessPolicy(values.witness ?? [], k === undefined ? undefined : Number(k));
}

/** The policy's verdict on a checkpoint note, a line on what it found, and the problem if it fails. */
export function witnessProblems(
  note: string,
  logKey: VerifierKey,
  policy: WitnessPolicy,
  io: { out(line: string): void },
): string[] {
  if (policy.witnesses.length === 0) return [];
  const check = meetsWitnessPolicy(note, logKey, policy);
  io.out(
    `witnesses: ${check.cosignedBy.length} of the ${policy.witnesses.length} given cosigned (${check.cosignedBy.join(", ") || "none"}), ${policy.threshold} needed`,
  );
  if (check.ok) return [];
  return check.cosignedBy.length === 0 && !meetsWitnessPolicy(note, logKey, { ...policy, threshold: 0 }).ok
    ? ["a witness cosignature on the newest checkpoint does not verify: the checkpoint is refused"]
    : [
        `only ${check.cosignedBy.length} of the required ${policy.threshold} witnesses cosigned the newest checkpoint`,
      ];
}
