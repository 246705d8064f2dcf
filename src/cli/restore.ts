import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadConfig, loadDotEnv } from "../config.ts";
import { BackupError, restoreBackup } from "../store/backup-archive.ts";

/*
 * `undersigned restore FILE [--identity KEYFILE]`: puts a backup back into an empty DATA_DIR and, on
 * PostgreSQL, an empty database, and checks every table's rows against the backup's manifest. Mails the
 * backup records as sent stay sent; pending ones are sent by the next `undersigned serve`.
 */

export const RESTORE_HELP = `Usage: undersigned restore FILE [--identity KEYFILE …]

Restores a backup made by \`undersigned backup\` into DATA_DIR, which must be empty or missing, and, when
DATABASE_URL is set, into that database, which must be empty (a new database). KEYFILE is an age identity
file (AGE-SECRET-KEY-1…, as age-keygen writes it) of one of the backup's recipients. Start the server
afterwards: it applies newer migrations and sends the mails that were still waiting.`;

export type RestoreIo = { out(line: string): void; err(line: string): void };

export async function restoreCommand(argv: string[], io: RestoreIo): Promise<number> {
  let values: { identity?: string[]; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { identity: { type: "string", multiple: true }, help: { type: "boolean" } },
    }));
  } catch (error) {
    io.err(`restore: ${(error as Error).message}\n${RESTORE_HELP}`);
    return 2;
  }
  if (values.help) {
    io.out(RESTORE_HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    io.err(`restore: name one backup file\n${RESTORE_HELP}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  try {
    const identities: string[] = [];
    for (const keyFile of values.identity ?? []) identities.push(...(await readIdentities(keyFile)));
    const { manifest, files } = await restoreBackup(
      { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
      file,
      identities,
    );
    const rows = Object.values(manifest.rows).reduce((sum, n) => sum + n, 0);
    io.out(
      `restore: the backup of ${manifest.takenAt} (${Object.keys(manifest.rows).length} tables, ${rows} rows, every table's rows checked; ${files} files) is in ${config.dataDir}${config.databaseUrl ? " and the database of DATABASE_URL" : ""}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`restore: ${error.message}`);
    return 1;
  }
}

/** The secret keys of an age identity file: its AGE-SECRET-KEY lines, comments and blank lines skipped. */
async function readIdentities(keyFile: string): Promise<string[]> {
  const text = await readFile(keyFile, "utf8").catch(() => {
    throw new BackupError(`cannot read the identity file ${keyFile}`);
  });
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));
  if (keys.length === 0) throw new BackupError(`${keyFile} holds no age identity (AGE-SECRET-KEY-1…)`);
  return keys;
}
