import { parseArgs } from "node:util";
import { loadConfig, loadDotEnv } from "../config.ts";
import { BackupError, type BackupTarget, isAgeRecipient, writeBackup } from "../store/backup-archive.ts";

/*
 * `undersigned backup [--to RECIPIENT …] --out FILE [--plain]`: one consistent snapshot of the database and
 * of DATA_DIR's records, taken while the server runs, encrypted to age recipients (store/backup-archive.ts).
 */

export const BACKUP_HELP = `Usage: undersigned backup --out FILE [--to RECIPIENT …] [--plain]

Writes one consistent snapshot of the database (SQLite, or PostgreSQL through pg_dump) and of DATA_DIR's
records (uploads, response documents, delivered PDFs, the demo key) to FILE ("-" for standard output),
encrypted to each age recipient (age1…) given with --to, or to those in BACKUP_RECIPIENTS. The server may
keep running. Open it with \`undersigned restore FILE --identity KEYFILE\` or \`age -d -i KEYFILE FILE | tar x\`.
--plain writes it unencrypted, server secret, password hashes and pending mail addresses readable.`;

export type BackupIo = {
  out(line: string): void;
  err(line: string): void;
  stdout: NodeJS.WritableStream;
  now(): Date;
};

export async function backupCommand(argv: string[], io: BackupIo): Promise<number> {
  let values: { to?: string[]; out?: string; plain?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        to: { type: "string", multiple: true },
        out: { type: "string" },
        plain: { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (error) {
    io.err(`backup: ${(error as Error).message}\n${BACKUP_HELP}`);
    return 2;
  }
  if (values.help) {
    io.out(BACKUP_HELP);
    return 0;
  }
  if (!values.out) {
    io.err(`backup: say where to write it with --out FILE\n${BACKUP_HELP}`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const recipients = (values.to ?? []).flatMap((to) => to.split(/[\s,]+/)).filter(Boolean);
  const unknown = recipients.find((recipient) => !isAgeRecipient(recipient));
  if (unknown) {
    io.err(
      `backup: ${JSON.stringify(unknown)} is not an age recipient (age1…; age-keygen -y KEYFILE prints one)`,
    );
    return 2;
  }
  let target: BackupTarget;
  if (values.plain) {
    if (recipients.length > 0) {
      io.err("backup: --plain writes an unencrypted backup; leave out --to, or leave out --plain");
      return 2;
    }
    target = { plain: true };
  } else {
    const to = recipients.length > 0 ? recipients : config.backupRecipients;
    if (to.length === 0) {
      io.err(
        "backup: nobody to encrypt it to: give --to age1… or set BACKUP_RECIPIENTS (--plain writes it unencrypted)",
      );
      return 2;
    }
    target = { recipients: to };
  }
  try {
    const summary = await writeBackup(
      { databaseUrl: config.databaseUrl, dataDir: config.dataDir },
      target,
      values.out === "-" ? io.stdout : values.out,
      io.now(),
    );
    // Standard output may be the backup itself; the summary goes to standard error then.
    const say = values.out === "-" ? io.err : io.out;
    say(
      `backup: ${summary.tables} tables (${summary.rows} rows) and ${summary.files} files${"plain" in target ? ", NOT encrypted," : `, encrypted to ${target.recipients.length} recipient(s),`} written to ${values.out === "-" ? "standard output" : values.out}`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    io.err(`backup: ${error.message}`);
    return 1;
  }
}
