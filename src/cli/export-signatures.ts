import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig, loadDotEnv } from "../config.ts";
import { KeyFileError, openKeyFile, WrongPassphraseError } from "../crypto/coalition-key.ts";
import { type KeyPair, openSealed } from "../crypto/seal.ts";
import type { EndorsementRecord, ExportFormat } from "../domain/endorsement-file.ts";
import { serialiseEndorsements } from "../domain/endorsement-file.ts";
import { displayName } from "../domain/names.ts";
import { listEndorsementsForExport } from "../queries/list-endorsements-for-export.ts";
import { openStore, type Store } from "../store/db.ts";

/*
 * `undersigned export signatures --letter SLUG --key FILE [--format csv|json] [--passphrase-file FILE]`:
 * the full list of a letter's counted endorsements, undisclosed ones included, opened on the machine this
 * runs on with the coalition key file. The sealed boxes are read from the database; the key and what it
 * opens never go to the server. The passphrase comes, as for keygen, from the terminal, from
 * UNDERSIGNED_KEY_PASSPHRASE or from --passphrase-file, never from argv. The list goes to stdout.
 */

export const EXPORT_SIGNATURES_HELP = `Usage: undersigned export signatures --letter SLUG --key FILE [--format csv|json] [--passphrase-file FILE]

Writes every counted endorsement of the letter, undisclosed ones opened with the coalition key file, to
standard output as an endorsement file (columns: name, name_alt, kind, category, country, website, contact,
email, visibility, signed_at). The passphrase is asked on the terminal, or read from
UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file.`;

export type SignaturesCliIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  askHidden: ((prompt: string) => Promise<string>) | undefined;
  env: NodeJS.ProcessEnv;
};

/** Reads the key file's passphrase the way keygen does: file, environment, or terminal without echo. */
export async function readKeyPassphrase(
  passphraseFile: string | undefined,
  io: SignaturesCliIo,
  command: string,
): Promise<string | undefined> {
  if (passphraseFile) return (await readFile(passphraseFile, "utf8")).replace(/\r?\n$/, "");
  if (io.env.UNDERSIGNED_KEY_PASSPHRASE) return io.env.UNDERSIGNED_KEY_PASSPHRASE;
  if (!io.askHidden) {
    io.err(
      `${command}: no terminal to type the passphrase on; set UNDERSIGNED_KEY_PASSPHRASE or use --passphrase-file`,
    );
    return undefined;
  }
  return io.askHidden("Passphrase of the coalition key file: ");
}

/** Opens the key file, turning its errors into one line for the operator. */
export async function openKeyFileForCli(
  file: string,
  passphrase: string,
  io: SignaturesCliIo,
  command: string,
): Promise<KeyPair | undefined> {
  try {
    return await openKeyFile(await readFile(file, "utf8"), passphrase);
  } catch (error) {
    if (error instanceof WrongPassphraseError || error instanceof KeyFileError) {
      io.err(`${command}: ${error.message}`);
      return undefined;
    }
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      io.err(`${command}: there is no key file ${file}`);
      return undefined;
    }
    throw error;
  }
}

type Opened = Partial<Record<"kind" | "name" | "name_alt" | "category" | "country" | "website", string>>;
type OpenedContact = Partial<Record<"contact_person" | "email", string>>;

async function openJson<T>(box: string | null, keyPair: KeyPair): Promise<T | undefined> {
  return box ? (JSON.parse(await openSealed(box, keyPair)) as T) : undefined;
}

export async function exportSignaturesCommand(argv: string[], io: SignaturesCliIo): Promise<number> {
  const command = "undersigned export signatures";
  let options: { letter?: string; key?: string; format?: string; "passphrase-file"?: string; help?: boolean };
  try {
    options = parseArgs({
      args: argv,
      options: {
        letter: { type: "string" },
        key: { type: "string" },
        format: { type: "string", default: "csv" },
        "passphrase-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`${command}: ${(error as Error).message}\n${EXPORT_SIGNATURES_HELP}`);
    return 2;
  }
  if (options.help) {
    io.out(`${EXPORT_SIGNATURES_HELP}\n`);
    return 0;
  }
  const format = options.format as ExportFormat;
  if (!options.letter || !options.key || (format !== "csv" && format !== "json")) {
    io.err(`${command}: --letter and --key are required; --format is csv or json\n${EXPORT_SIGNATURES_HELP}`);
    return 2;
  }
  const passphrase = await readKeyPassphrase(options["passphrase-file"], io, command);
  if (passphrase === undefined) return 2;
  const keyPair = await openKeyFileForCli(options.key, passphrase, io, command);
  if (!keyPair) return 1;

  loadDotEnv();
  const store = await openStore(loadConfig(io.env));
  try {
    const result = await exportSignatures(store, { letterSlug: options.letter, keyPair, format });
    if (typeof result === "string") {
      io.err(`${command}: ${result}`);
      return result.startsWith("there is no letter") ? 2 : 1;
    }
    io.out(result.text);
    io.err(`${command}: ${result.count} endorsements`);
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * The export itself, on an open store: the endorsement file's text, or a one-line refusal (unknown letter,
 * or a key that is not the letter's campaign key).
 */
export async function exportSignatures(
  store: Store,
  input: { letterSlug: string; keyPair: KeyPair; format: ExportFormat },
): Promise<{ text: string; count: number } | string> {
  const letter = await store.db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select(["letters.id", "campaigns.public_key"])
    .where("letters.slug", "=", input.letterSlug)
    .executeTakeFirst();
  if (!letter) return `there is no letter "${input.letterSlug}"`;
  if (letter.public_key !== input.keyPair.publicKey)
    return "this key file is not the key of the letter's campaign";
  const rows = await listEndorsementsForExport(store.db, letter.id, { listedOnly: false });
  const records: EndorsementRecord[] = [];
  for (const row of rows) {
    const identity = await openJson<Opened>(row.sealedIdentity, input.keyPair);
    const contact = await openJson<OpenedContact>(row.sealedContact, input.keyPair);
    // Names sealed in the browser are sealed as typed; Zawgyi is converted here, as the server would have.
    const name = row.displayName ?? (identity?.name ? displayName(identity.name) : null);
    records.push({
      name,
      name_alt: row.displayNameAlt ?? (identity?.name_alt ? displayName(identity.name_alt) : null),
      kind: row.kind,
      category: row.category ?? identity?.category ?? null,
      country: row.country ?? identity?.country ?? null,
      website: row.website ?? identity?.website ?? null,
      contact: contact?.contact_person ?? null,
      email: contact?.email ?? null,
      visibility: row.visibility,
      signed_at: row.confirmedAt,
    });
  }
  return { text: serialiseEndorsements(records, input.format), count: records.length };
}
