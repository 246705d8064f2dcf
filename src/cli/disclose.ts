import {
  type EndorsementToList,
  listThresholdEndorsements,
} from "../commands/list-threshold-endorsements.ts";
import { type KeyPair, openSealed } from "../crypto/seal.ts";
import { letterOfKey } from "../queries/letter-of-key.ts";
import { listWaitingListings } from "../queries/list-threshold-endorsements.ts";
import type { Store } from "../store/db.ts";
import {
  type KeyCommandIo,
  openCoalitionKeyFile,
  parseCliOptions,
  runOnConfiguredStore,
} from "./cli-options.ts";

/*
 * `undersigned disclose --letter SLUG --key FILE [--passphrase-file FILE] [--dry-run]`: the coalition lists
 * the threshold endorsements whose condition is met (domain/threshold-disclosure.ts). Each one's sealed
 * identity is opened on this machine with the key file; only the public fields of those met are sent to the
 * listing command, which checks the condition again and holds a name the letter already holds or one that
 * looks like it. Those still waiting stay sealed and are never opened.
 */

export const DISCLOSE_HELP = `Usage: undersigned disclose --letter SLUG --key FILE [--passphrase-file FILE] [--dry-run]

Lists the letter's threshold endorsements whose condition is met ("list our name once N others are
listed, or from a day"), opened with the coalition key file on this machine. Prints a line per threshold
endorsement (listed, held for review, or waiting) and a final "disclosed N". With --dry-run nothing
changes: the lines say whose condition is met (the duplicate and look-alike checks are made
when listing). The passphrase is asked on the terminal, or read from
UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file.`;

export async function discloseCommand(
  argv: string[],
  io: KeyCommandIo & { now: () => Date },
): Promise<number> {
  const command = "undersigned disclose";
  const options = parseCliOptions(
    argv,
    {
      letter: { type: "string" },
      key: { type: "string" },
      "passphrase-file": { type: "string" },
      "dry-run": { type: "boolean" },
    },
    io,
    { command, help: DISCLOSE_HELP },
  );
  if (typeof options === "number") return options;
  const { letter, key } = options;
  if (!letter || !key) {
    io.err(`${command}: --letter and --key are required\n${DISCLOSE_HELP}`);
    return 2;
  }
  const keyPair = await openCoalitionKeyFile({ ...options, key }, io, command);
  if (typeof keyPair === "number") return keyPair;

  const dryRun = options["dry-run"] === true;
  return runOnConfiguredStore(io, command, async (store) => {
    const result = await disclose(store, { letterSlug: letter, keyPair, dryRun }, io.now());
    if (typeof result === "string") return result;
    for (const line of result.lines) io.out(`${line}\n`);
    io.out(`${dryRun ? "would disclose" : "disclosed"} ${result.disclosed}\n`);
    return 0;
  });
}

type Opened = Partial<Record<"name" | "name_alt" | "category" | "country" | "website", string>>;

/**
 * The disclosure itself, on an open store: a line per threshold endorsement and how many were listed, or a
 * one-line refusal (unknown letter, or a key that is not the letter's campaign key).
 */
export async function disclose(
  store: Store,
  input: { letterSlug: string; keyPair: KeyPair; dryRun: boolean },
  now: Date,
): Promise<{ lines: string[]; disclosed: number } | string> {
  const letter = await letterOfKey(store.db, input.letterSlug, input.keyPair.publicKey);
  if (typeof letter === "string") return letter;
  const { listed, endorsements } = await listWaitingListings(store.db, letter.id, now);
  const lines: string[] = [];
  const chosen: EndorsementToList[] = [];
  for (const endorsement of endorsements) {
    if (!endorsement.met || !endorsement.sealedIdentity) {
      // Never opened: what waits stays sealed, even on this machine.
      lines.push(`${endorsement.id}\twaiting\t${listed} of ${endorsement.condition.threshold} listed`);
      continue;
    }
    const opened = JSON.parse(await openSealed(endorsement.sealedIdentity, input.keyPair)) as Opened;
    chosen.push({
      signatureId: endorsement.id,
      name: opened.name ?? "",
      name_alt: opened.name_alt,
      category: opened.category,
      country: opened.country,
      website: opened.website,
    });
  }
  if (input.dryRun || chosen.length === 0) {
    for (const e of chosen) lines.push(`${e.signatureId}\twould list\t${e.name}`);
    return { lines, disclosed: input.dryRun ? chosen.length : 0 };
  }
  const { results } = await listThresholdEndorsements(
    { store },
    { actor: "cli", letterId: letter.id, endorsements: chosen },
    now,
  );
  const names = new Map(chosen.map((e) => [e.signatureId, e.name]));
  for (const r of results)
    lines.push(`${r.signatureId}\t${OUTCOME_WORDS[r.outcome]}\t${names.get(r.signatureId)}`);
  return { lines, disclosed: results.filter((r) => r.outcome === "listed").length };
}

const OUTCOME_WORDS = {
  listed: "listed",
  held: "held: the letter already holds this name or one that looks like it",
  not_met: "waiting",
  not_waiting: "no longer waiting",
  invalid: "not listed: its name, as opened, cannot be shown",
} as const;
