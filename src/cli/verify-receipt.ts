import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fromBase64, toBase64 } from "../domain/tlog/bytes.ts";
import { ENDORSEMENT_TYPE } from "../domain/tlog/entries.ts";
import { type Checkpoint, openNote, parseCheckpoint, parseVerifierKey } from "../domain/tlog/note.ts";
import { parseTlogProof } from "../domain/tlog/proof.ts";
import { checkReceipt, isConsistent, type ReceiptProblem } from "../domain/tlog/receipt.ts";
import { tilePath } from "../domain/tlog/tiles.ts";
import type { WitnessPolicy } from "../domain/tlog/witness.ts";
import {
  policyFromOptions,
  WITNESS_OPTIONS,
  WITNESS_OPTIONS_HELP,
  witnessProblems,
} from "./witness-policy.ts";

/*
 * `undersigned verify RECEIPT [--log URL] [--key VKEY] [--state FILE]`: checks a signer's receipt (the
 * C2SP tlog-proof their receipt page gives) with no server's help: the checkpoint is signed by the log's
 * key and the entry is in its tree. With --log it also fetches the newest checkpoint and proves from the
 * public tiles that the receipt's tree is a prefix of it (the log did not drop or rewrite the entry since),
 * and that the newest is consistent with the checkpoint seen last time (kept in the state file that
 * `verify --log URL --letter NAME` keeps too).
 */

export const VERIFY_RECEIPT_HELP = `Usage: undersigned verify RECEIPT [--log URL] [--key VKEY] [--state FILE]
                          [--witness VKEY]... [--witnesses K]

Checks the receipt file RECEIPT (saved from your receipt page): its checkpoint is signed by the log's key
and your entry is in the tree it names. Offline, the key comes from --key or from the state file (default
~/.undersigned-verify.json). With --log URL (e.g. https://letters.example.org/log) it also checks that the
log's newest checkpoint still contains the receipt's tree and the checkpoint seen last time.
${WITNESS_OPTIONS_HELP} (with --log: the newest checkpoint is the one cosigned)`;

type State = Record<string, { key: string; size: number; root: string }>;
export type VerifyReceiptIo = { out(line: string): void; err(line: string): void; fetch: typeof fetch };

const PROBLEMS: Record<ReceiptProblem, string> = {
  format: "the file is not a transparency-log receipt (c2sp.org/tlog-proof@v1)",
  entry: "the receipt carries no entry of ours",
  signature: "the receipt's checkpoint is not signed by the log's key",
  inclusion: "the entry is not in the tree the checkpoint names: the receipt or the entry was changed",
};

export async function verifyReceiptCommand(argv: string[], io: VerifyReceiptIo): Promise<number> {
  let values: { log?: string; key?: string; state?: string; witness?: string[]; witnesses?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        log: { type: "string" },
        key: { type: "string" },
        state: { type: "string" },
        ...WITNESS_OPTIONS,
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    io.err(`undersigned verify: ${(error as Error).message}\n${VERIFY_RECEIPT_HELP}`);
    return 2;
  }
  if (positionals.length !== 1) {
    io.err(VERIFY_RECEIPT_HELP);
    return 2;
  }
  const policy = policyFromOptions(values);
  if ("problem" in policy || (policy.threshold > 0 && !values.log)) {
    io.err(
      `undersigned verify: ${"problem" in policy ? policy.problem : "a witness policy checks the log's newest checkpoint: add --log URL"}`,
    );
    return 2;
  }
  const statePath = values.state ?? path.join(os.homedir(), ".undersigned-verify.json");
  try {
    const problems = await verifyReceipt(positionals[0]!, values, policy, statePath, io);
    for (const p of problems) io.err(`FAIL ${p}`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(`FAIL ${(error as Error).message}`);
    return 1;
  }
}

async function verifyReceipt(
  file: string,
  options: { log?: string; key?: string },
  policy: WitnessPolicy,
  statePath: string,
  io: VerifyReceiptIo,
): Promise<string[]> {
  const text = await readFile(file, "utf8");
  const state: State = existsSync(statePath) ? JSON.parse(await readFile(statePath, "utf8")) : {};
  const prefix = options.log?.replace(/\/+$/, "");
  const get = async (url: string) => {
    const res = await io.fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const decoder = new TextDecoder();

  // The key: given, else the one remembered for the receipt's log, else the one it serves (trusted on first
  // use and remembered once everything checks).
  const parsed = parseTlogProof(text);
  if (!parsed) return [PROBLEMS.format];
  const origin = parsed.checkpoint.split("\n")[0]!;
  const served = prefix ? decoder.decode(await get(`${prefix}/key`)).trim() : undefined;
  const keyText = options.key ?? state[origin]?.key ?? served;
  if (!keyText) throw new Error("no log key for this receipt: give --key, or --log to fetch it");
  const key = parseVerifierKey(keyText);
  if (!key) throw new Error(`not a verifier key: ${keyText}`);
  const problems: string[] = [];
  if (served && served !== keyText) problems.push(`the log now serves another key (${served})`);
  const keys = [key];

  const check = checkReceipt(text, keys);
  if (!check.ok) return [...problems, PROBLEMS[check.problem]];
  const { entry, index, checkpoint } = check;
  const what =
    entry.type === ENDORSEMENT_TYPE
      ? `${entry.visibility} ${entry.signer} endorsement of ${entry.letter}, day ${entry.day}`
      : `${entry.type} of ${entry.letter}`;
  io.out(`entry ${index}: ${what}`);
  io.out(`in ${checkpoint.origin} at size ${checkpoint.size}, root ${toBase64(checkpoint.root)}`);
  if (!prefix) {
    io.out(
      "OK: the log's key signed a tree that holds this entry (offline; add --log to check it still does)",
    );
    return problems;
  }

  const newestNote = decoder.decode(await get(`${prefix}/checkpoint`));
  const opened = openNote(newestNote, keys);
  const newest = opened ? parseCheckpoint(opened.text) : null;
  if (!newest) throw new Error("the log's newest checkpoint is not signed by its key");
  problems.push(...witnessProblems(newestNote, key, policy, io));
  const readTile = (tile: Parameters<typeof tilePath>[0]) => get(`${prefix}/${tilePath(tile)}`);
  if (!(await isConsistent(checkpoint, newest, readTile))) {
    problems.push(
      `the log's newest tree (size ${newest.size}) does not contain the receipt's (size ${checkpoint.size}): it dropped or rewrote entries`,
    );
  }
  const known = state[newest.origin];
  const seen: Checkpoint | null = known
    ? { origin: newest.origin, size: known.size, root: fromBase64(known.root)! }
    : null;
  if (seen && !(await isConsistent(seen, newest, readTile))) {
    problems.push(
      `the log's newest tree (size ${newest.size}) is not consistent with the one seen before (size ${seen.size})`,
    );
  }
  if (problems.length === 0) {
    state[newest.origin] = { key: keyText, size: newest.size, root: toBase64(newest.root) };
    await writeFile(statePath, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    io.out(`OK: the entry is in the log, whose newest tree (size ${newest.size}) still holds it`);
  }
  return problems;
}
