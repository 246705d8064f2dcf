import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { setCampaignKey } from "../commands/set-campaign-key.ts";
import { loadConfig, loadDotEnv } from "../config.ts";
import { createKeyFile, keyFileName, keyFileText, MIN_PASSPHRASE_LENGTH } from "../crypto/coalition-key.ts";
import { keyFingerprint } from "../crypto/key-fingerprint.ts";
import { AppError } from "../domain/app-error.ts";
import { openStore } from "../store/db.ts";
import { migrateToLatest } from "../store/migrate.ts";

/*
 * `undersigned keygen [--campaign SLUG] [--out FILE] [--passphrase-file FILE]`: creates the coalition key
 * pair on the machine it runs on. The private key only ever exists in the passphrase-protected file this
 * writes; with --campaign, the public key is set on that campaign (in the configured database) so letters
 * can seal to it. Run it on a coordinator's machine against the server's database, or run it anywhere and
 * give the public key to whoever sets it.
 *
 * The passphrase never comes from argv (it would sit in shell history and in `ps`): it is typed twice on
 * the terminal without echo, or, for scripts, read from UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file.
 */

export const KEYGEN_HELP = `Usage: undersigned keygen [--campaign SLUG] [--out FILE] [--passphrase-file FILE]

Creates the coalition key pair. The private key is written to FILE (default:
coalition-key-SLUG.json, or coalition-key.json) encrypted with a passphrase you type twice; it never goes
to the server. With --campaign, the public key is set on that campaign (once: a campaign keeps its key).
For scripts, the passphrase may come from UNDERSIGNED_KEY_PASSPHRASE or --passphrase-file instead.`;

export type KeygenIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks for a line on the terminal without echoing it; undefined when there is no terminal. */
  askHidden: ((prompt: string) => Promise<string>) | undefined;
  env: NodeJS.ProcessEnv;
  now: () => Date;
};

export async function keygen(argv: string[], io: KeygenIo): Promise<number> {
  let options: {
    campaign?: string | undefined;
    out?: string | undefined;
    "passphrase-file"?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    options = parseArgs({
      args: argv,
      options: {
        campaign: { type: "string" },
        out: { type: "string" },
        "passphrase-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.err(`undersigned keygen: ${(error as Error).message}\n${KEYGEN_HELP}`);
    return 2;
  }

  if (options.help) {
    io.out(KEYGEN_HELP);
    return 0;
  }
  const passphrase = await readPassphrase(options["passphrase-file"], io);
  if (typeof passphrase === "number") return passphrase;
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    io.err(`undersigned keygen: the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
    return 2;
  }

  const campaign = options.campaign;
  const file = path.resolve(options.out ?? keyFileName(campaign));
  const store = campaign ? await openConfiguredStore(io.env) : undefined;
  try {
    if (store && campaign) {
      // Checked before the file is written, so a typo in the slug leaves no orphan key behind.
      const row = await store.db
        .selectFrom("campaigns")
        .select(["public_key", "demo_key"])
        .where("slug", "=", campaign)
        .executeTakeFirst();
      if (!row) {
        io.err(`undersigned keygen: there is no campaign "${campaign}"`);
        return 2;
      }
      // A DEMO key may be replaced (setCampaignKey refuses if real records are sealed to it); a real one not.
      if (row.public_key !== null && row.demo_key !== 1) {
        io.err(
          `undersigned keygen: campaign "${campaign}" already has a key (fingerprint ${keyFingerprint(row.public_key)}); a campaign keeps its key`,
        );
        return 1;
      }
    }

    const { keyPair, file: content } = await createKeyFile(passphrase, {
      now: io.now(),
      campaign: campaign ?? null,
    });
    try {
      // "wx": never overwrite an existing key file; losing a private key loses every record sealed to it.
      await writeFile(file, keyFileText(content), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        io.err(`undersigned keygen: ${file} already exists; choose another --out`);
        return 1;
      }
      throw error;
    }
    io.out(`Wrote the private key, protected by your passphrase, to ${file}`);
    io.out(`Public key: ${keyPair.publicKey} (fingerprint ${keyFingerprint(keyPair.publicKey)})`);

    if (store && campaign) {
      try {
        await setCampaignKey(
          { store },
          { campaignSlug: campaign, publicKey: keyPair.publicKey, actor: "cli" },
          io.now(),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        io.err(
          error.fields.publicKey === "campaignKey.demoInUse"
            ? `undersigned keygen: campaign "${campaign}" has a DEMO key with ${error.params.count} real endorsements sealed to it; replacing it would leave them unreadable, so ${file} is unused`
            : `undersigned keygen: campaign "${campaign}" got a key from someone else meanwhile; ${file} is unused`,
        );
        return 1;
      }
      io.out(`Set it as the key of campaign "${campaign}".`);
    }
    io.out(
      "Keep the file and its passphrase safe, with a second copy offline: without them, sealed records cannot be opened.",
    );
    return 0;
  } finally {
    await store?.close();
  }
}

async function openConfiguredStore(env: NodeJS.ProcessEnv) {
  loadDotEnv();
  const store = await openStore(loadConfig(env));
  await migrateToLatest(store.db);
  return store;
}

async function readPassphrase(passphraseFile: string | undefined, io: KeygenIo): Promise<string | number> {
  if (passphraseFile) return (await readFile(passphraseFile, "utf8")).replace(/\r?\n$/, "");
  const fromEnv = io.env.UNDERSIGNED_KEY_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!io.askHidden) {
    io.err(
      "undersigned keygen: no terminal to type a passphrase on; set UNDERSIGNED_KEY_PASSPHRASE or use --passphrase-file",
    );
    return 2;
  }
  const first = await io.askHidden(
    `Passphrase for the new key (at least ${MIN_PASSPHRASE_LENGTH} characters): `,
  );
  const second = await io.askHidden("The same passphrase again: ");
  if (first !== second) {
    io.err("undersigned keygen: the two passphrases differ; nothing was written");
    return 2;
  }
  return first;
}

/** Reads a line from the terminal in raw mode, echoing nothing, so the passphrase never shows on screen. */
export function askHiddenOnTerminal(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.resume();
    let chars: string[] = [];
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          resolve(chars.join(""));
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new Error("cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") chars = chars.slice(0, -1);
        else chars.push(ch);
      }
    };
    stdin.on("data", onData);
  });
}
