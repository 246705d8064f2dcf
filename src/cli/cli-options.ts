import { readFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { loadConfig, loadDotEnv } from "../config.ts";
import { KeyFileError, openKeyFile, WrongPassphraseError } from "../crypto/coalition-key.ts";
import type { KeyPair } from "../crypto/seal.ts";
import { openStore, type Store } from "../store/db.ts";

/*
 * What the commands that work with the coalition key file (export signatures, import signatures, disclose,
 * audit-count) share: reading their flags, opening the key file on this machine, and running on the
 * configured database. Each step answers the exit code itself when the command must stop, so every command
 * says the same thing for the same mistake.
 */

export type KeyCommandIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  /** Asks for a line on the terminal without echoing it; undefined when there is no terminal. */
  askHidden?: ((prompt: string) => Promise<string>) | undefined;
  env: NodeJS.ProcessEnv;
};

/** A command's name, which starts its error lines, and its usage text, shown with every mistake. */
export type CliUsage = { command: string; help: string };

type CliOptions = NonNullable<ParseArgsConfig["options"]>;
const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;
type StrictConfig<T extends CliOptions> = {
  args: string[];
  options: T & typeof HELP_OPTION;
  strict: true;
  allowPositionals: false;
};

/**
 * argv read strictly against the command's flags (no positional arguments), with -h/--help. Answers the
 * values, or the exit code when the command is done: 0 after printing the help, 2 after a mistake.
 */
export function parseCliOptions<const T extends CliOptions>(
  argv: string[],
  options: T,
  io: Pick<KeyCommandIo, "out" | "err">,
  usage: CliUsage,
): ReturnType<typeof parseArgs<StrictConfig<T>>>["values"] | number {
  const config: StrictConfig<T> = {
    args: argv,
    options: { ...options, ...HELP_OPTION },
    strict: true,
    allowPositionals: false,
  };
  try {
    const { values } = parseArgs(config);
    if (!(values as { help?: boolean }).help) return values;
    io.out(`${usage.help}\n`);
    return 0;
  } catch (error) {
    io.err(`${usage.command}: ${(error as Error).message}\n${usage.help}`);
    return 2;
  }
}

/**
 * Opens the coalition key file `--key` names with its passphrase: from `--passphrase-file`, from
 * UNDERSIGNED_KEY_PASSPHRASE, or typed on the terminal without echo (never from argv, which shell history
 * and `ps` show). Answers the key pair, or the exit code after saying why: 2 when there is no passphrase to
 * be had, 1 when the file is missing, damaged or the passphrase is wrong.
 */
export async function openCoalitionKeyFile(
  options: { key: string; "passphrase-file"?: string | undefined },
  io: KeyCommandIo,
  command: string,
): Promise<KeyPair | number> {
  const passphrase = await readKeyPassphrase(options["passphrase-file"], io, command);
  if (passphrase === undefined) return 2;
  try {
    return await openKeyFile(await readFile(options.key, "utf8"), passphrase);
  } catch (error) {
    if (error instanceof WrongPassphraseError || error instanceof KeyFileError) {
      io.err(`${command}: ${error.message}`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      io.err(`${command}: there is no key file ${options.key}`);
      return 1;
    }
    throw error;
  }
}

async function readKeyPassphrase(
  passphraseFile: string | undefined,
  io: KeyCommandIo,
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

/**
 * Runs a command's work on the configured database and closes it after. The work answers its exit code,
 * or a one-line refusal, printed after the command's name: exit 2 for an unknown letter (the operator's
 * typo), 1 for anything else.
 */
export async function runOnConfiguredStore(
  io: Pick<KeyCommandIo, "err" | "env">,
  command: string,
  work: (store: Store) => Promise<number | string>,
): Promise<number> {
  loadDotEnv();
  const store = await openStore(loadConfig(io.env));
  try {
    const result = await work(store);
    if (typeof result === "number") return result;
    io.err(`${command}: ${result}`);
    return result.startsWith("there is no letter") ? 2 : 1;
  } finally {
    await store.close();
  }
}
