import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { equalBytes, fromBase64, toBase64 } from "../domain/tlog/bytes.ts";
import { recountLetter } from "../domain/tlog/entries.ts";
import {
  appendLeaves,
  consistencyRanges,
  leafHash,
  nodeLookup,
  rangeHash,
  rootOfLeaves,
  verifyConsistency,
} from "../domain/tlog/merkle.ts";
import { openNote, parseCheckpoint, parseVerifierKey, type VerifierKey } from "../domain/tlog/note.ts";
import { decodeEntryBundle, TILE_WIDTH, tilePath } from "../domain/tlog/tiles.ts";
import type { WitnessPolicy } from "../domain/tlog/witness.ts";
import {
  policyFromOptions,
  WITNESS_OPTIONS,
  WITNESS_OPTIONS_HELP,
  witnessProblems,
} from "./witness-policy.ts";

/*
 * `undersigned verify --log URL --letter NAME [--key VKEY] [--state FILE] [--slug SLUG]`: recounts a letter
 * from the log's entry bundles, checks them against the signed checkpoint, compares with the site's API,
 * and keeps the last checkpoint seen per origin in a state file, so that a log which later shrinks or
 * rewrites its history is reported (its new tree is not consistent with the old checkpoint).
 * Without --key the log's own /log/key is trusted on first use and remembered in the state file.
 */

export const VERIFY_HELP = `Usage: undersigned verify --log URL --letter NAME [--key VKEY] [--state FILE] [--slug SLUG]
                          [--witness VKEY]... [--witnesses K]

Recounts letter NAME from the transparency log at URL (e.g. https://letters.example.org/log), checks every
entry against the signed checkpoint, compares the counts with the site's API, and checks that the log is
consistent with the checkpoint seen last time (kept in --state, default ~/.undersigned-verify.json).
${WITNESS_OPTIONS_HELP}`;

type State = Record<string, { key: string; size: number; root: string }>;
export type VerifyIo = { out(line: string): void; err(line: string): void; fetch: typeof fetch };

export async function verifyLogCommand(argv: string[], io: VerifyIo): Promise<number> {
  let values: {
    log?: string;
    letter?: string;
    key?: string;
    state?: string;
    slug?: string;
    witness?: string[];
    witnesses?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        log: { type: "string" },
        letter: { type: "string" },
        key: { type: "string" },
        state: { type: "string" },
        slug: { type: "string" },
        ...WITNESS_OPTIONS,
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`undersigned verify: ${(error as Error).message}\n${VERIFY_HELP}`);
    return 2;
  }
  if (!values.log || !values.letter) {
    io.err(VERIFY_HELP);
    return 2;
  }
  const policy = policyFromOptions(values);
  if ("problem" in policy) {
    io.err(`undersigned verify: ${policy.problem}`);
    return 2;
  }
  const prefix = values.log.replace(/\/+$/, "");
  const statePath = values.state ?? path.join(os.homedir(), ".undersigned-verify.json");
  try {
    const problems = await verifyLog(
      prefix,
      values.letter,
      values.slug ?? values.letter,
      values.key,
      policy,
      statePath,
      io,
    );
    for (const p of problems) io.err(`FAIL ${p}`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(`FAIL ${(error as Error).message}`);
    return 1;
  }
}

async function getBytes(io: VerifyIo, url: string): Promise<Uint8Array> {
  const res = await io.fetch(url, { headers: { "accept-encoding": "gzip, identity" } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function verifyLog(
  prefix: string,
  letter: string,
  slug: string,
  pinnedKey: string | undefined,
  policy: WitnessPolicy,
  statePath: string,
  io: VerifyIo,
): Promise<string[]> {
  const problems: string[] = [];
  const state: State = existsSync(statePath) ? JSON.parse(await readFile(statePath, "utf8")) : {};
  const decoder = new TextDecoder();
  const note = decoder.decode(await getBytes(io, `${prefix}/checkpoint`));
  const served = decoder.decode(await getBytes(io, `${prefix}/key`)).trim();
  const keyText = pinnedKey ?? Object.values(state).find((s) => s.key === served)?.key ?? served;
  const key: VerifierKey | null = parseVerifierKey(keyText);
  if (!key) throw new Error(`not a verifier key: ${keyText}`);
  const opened = openNote(note, [key]);
  if (!opened) throw new Error("the checkpoint is not signed by the log key");
  const checkpoint = parseCheckpoint(opened.text);
  if (!checkpoint) throw new Error("the checkpoint is malformed");
  problems.push(...witnessProblems(note, key, policy, io));
  const known = state[checkpoint.origin];
  if (known && known.key !== keyText)
    problems.push(`the log's key changed since last time (was ${known.key})`);

  const entries: Uint8Array[] = [];
  for (let index = 0; index * TILE_WIDTH < checkpoint.size; index++) {
    const width = Math.min(TILE_WIDTH, checkpoint.size - index * TILE_WIDTH);
    const bundle = decodeEntryBundle(
      await getBytes(io, `${prefix}/${tilePath({ level: "entries", index, width })}`),
    );
    if (bundle.length !== width)
      throw new Error(`entry bundle ${index} holds ${bundle.length} entries, not ${width}`);
    entries.push(...bundle);
  }
  const leaves = entries.map(leafHash);
  if (!equalBytes(rootOfLeaves(leaves), checkpoint.root)) {
    problems.push(
      `the entries do not hash to the checkpoint's root at size ${checkpoint.size}: an entry was changed or removed`,
    );
  }
  if (known) {
    const oldRoot = fromBase64(known.root)!;
    if (known.size > checkpoint.size) {
      problems.push(`the log shrank: it was ${known.size} entries, now ${checkpoint.size}`);
    } else {
      const lookup = nodeLookup(appendLeaves([], 0, leaves).created);
      const proof = consistencyRanges(known.size, checkpoint.size).map((r) => rangeHash(r, lookup));
      if (!verifyConsistency(known.size, checkpoint.size, proof, oldRoot, checkpoint.root)) {
        problems.push(
          `the log rewrote its history: size ${checkpoint.size} is not consistent with the size ${known.size} seen before`,
        );
      }
    }
  }

  const recount = recountLetter(entries, letter);
  problems.push(...recount.problems);
  const site = prefix.replace(/\/log$/, "");
  const apiRes = await io.fetch(`${site}/api/v1/letters/${encodeURIComponent(slug)}`);
  if (apiRes.ok) {
    const api = (await apiRes.json()) as {
      counts: { total: number; listed: number; undisclosed: number };
      log: { letter: string; size: number } | null;
    };
    if (!api.log || api.log.letter !== letter)
      problems.push(`the site's API does not name log letter ${letter}`);
    else if (api.log.size > checkpoint.size)
      problems.push(`the API's log.size ${api.log.size} is beyond the checkpoint (${checkpoint.size})`);
    else {
      const atSize = recountLetter(entries.slice(0, api.log.size), letter).counts;
      for (const part of ["total", "listed", "undisclosed"] as const) {
        if (atSize[part] !== api.counts[part]) {
          problems.push(
            `the site says ${part} ${api.counts[part]}, the log counts ${atSize[part]} at size ${api.log.size}`,
          );
        }
      }
    }
  } else {
    problems.push(`the site's API answered ${apiRes.status} for ${slug}`);
  }

  const c = recount.counts;
  io.out(`log ${checkpoint.origin}, ${checkpoint.size} entries, root ${toBase64(checkpoint.root)}`);
  io.out(`letter ${letter}: ${c.total} counted (${c.listed} listed, ${c.undisclosed} undisclosed)`);
  if (problems.length === 0) {
    state[checkpoint.origin] = { key: keyText, size: checkpoint.size, root: toBase64(checkpoint.root) };
    await writeFile(statePath, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    io.out("OK: entries match the signed checkpoint, the site's counts and the checkpoint seen before");
  }
  return problems;
}
