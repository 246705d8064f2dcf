import { ConfigError, loadConfig, loadDotEnv } from "./config.ts";

/*
 * Each command's modules are loaded when that command runs: the CLI runs its TypeScript through tsx, and
 * loading the web server and every command to print help or apply migrations cost seconds on a slow machine.
 */

const HELP = `Usage: undersigned <command>

Commands:
  serve      migrate the database, then serve the web app (default: http://127.0.0.1:3000)
  migrate    apply pending database migrations and exit
  keygen     create a coalition key pair [--campaign SLUG] [--out FILE] (keygen --help for more)
  import letter FILE.md [--campaign SLUG] [--publish]
             import a letter file (and FILE.<lang>.md translations); prints its slug
  import signatures FILE.csv --letter SLUG [--status confirmed|approved] [--map column=Header …]
      [--value "column:Answer=value" …] [--dates dmy|mdy] [--key FILE [--passphrase-file FILE]]
             import endorsements; undisclosed rows are sealed on this machine; prints a per-row report
  export letter SLUG [--out DIR]
             write a letter back as SLUG.md + SLUG.<lang>.md (to stdout without --out)
  export signatures --letter SLUG --key FILE [--format csv|json] [--passphrase-file FILE]
             write every counted endorsement, undisclosed ones opened with the key file, to stdout
  disclose --letter SLUG --key FILE [--passphrase-file FILE] [--dry-run]
             list the threshold endorsements whose condition is met, opened with the key file
  verify --log URL --letter NAME [--key VKEY] [--state FILE]
             recount a letter from a transparency log, check it against the signed checkpoint, the
             site's counts and the checkpoint seen last time
  verify RECEIPT [--log URL] [--key VKEY] [--state FILE]
             check a signer's receipt file offline; with --log, that the newest log still holds it
  verify … --witness VKEY [--witness VKEY]… [--witnesses K]
             also require the newest checkpoint to be cosigned by K of these witnesses (default all)
  audit-count --letter SLUG --key FILE [--passphrase-file FILE]
             with the coalition key: check that every undisclosed endorsement counting in the log is a
             confirmed, sealed endorsement (prints no name)
  backup --out FILE [--to age1… …] [--plain]
             one consistent snapshot of the database and DATA_DIR's records, taken while serving,
             encrypted to age recipients (default BACKUP_RECIPIENTS); "-" writes to stdout
  restore FILE --identity KEYFILE
             restore a backup into an empty DATA_DIR (and an empty database when DATABASE_URL is set)
  setup-link print a new set-up link for the first coordinator (the waiting one stops working)
  --help     show this help

Configuration comes from the environment or a .env file in the working directory:
  PORT (3000)  HOST (127.0.0.1)  DATA_DIR (./data)  DATABASE_URL (PostgreSQL; unset: SQLite in DATA_DIR)
  SMTP_URL (unset: local mailbox in DATA_DIR)  MAIL_FROM  BASE_URL  CHROMIUM_PATH  LOG_LEVEL (info)
  TRUST_PROXY (false)  LOG_KEY (unset: the log key kept in the database)
  SIGN_LIMIT_PER_PREFIX (200 a day)  RESEND_LIMIT_PER_PREFIX (50 a day)
  BACKUP_RECIPIENTS (age recipients of \`backup\`, separated by spaces or commas)

Exit codes: 0 success, 1 failure, 2 invalid configuration or usage.`;

/** Runs one CLI command and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = "--help"] = argv;
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const write = (text: string) => process.stdout.write(text);
  const now = () => new Date();
  const askHidden = async () =>
    process.stdin.isTTY ? (await import("./cli/keygen.ts")).askHiddenOnTerminal : undefined;
  try {
    switch (command) {
      case "serve":
        return await serve();
      case "migrate":
        return await migrate();
      case "keygen": {
        const { keygen } = await import("./cli/keygen.ts");
        return await keygen(argv.slice(1), {
          out: announce,
          err,
          askHidden: await askHidden(),
          env: process.env,
          now,
        });
      }
      case "import":
      case "export": {
        const io = { out: write, err, now };
        if (command === "export" && argv[1] === "signatures") {
          const { exportSignaturesCommand } = await import("./cli/export-signatures.ts");
          return await exportSignaturesCommand(argv.slice(2), {
            ...io,
            askHidden: await askHidden(),
            env: process.env,
          });
        }
        if (command === "import" && argv[1] === "signatures") {
          const { importSignaturesCommand } = await import("./cli/import-signatures.ts");
          return await importSignaturesCommand(argv.slice(2), {
            ...io,
            askHidden: await askHidden(),
            env: process.env,
          });
        }
        if (argv[1] !== "letter") {
          process.stderr.write(`undersigned: "${command} ${argv[1] ?? ""}" is not a command\n${HELP}\n`);
          return 2;
        }
        const letters = await import("./cli/letters.ts");
        return command === "import"
          ? await letters.importLetterCommand(argv.slice(2), io)
          : await letters.exportLetterCommand(argv.slice(2), io);
      }
      case "disclose": {
        const { discloseCommand } = await import("./cli/disclose.ts");
        return await discloseCommand(argv.slice(1), {
          out: write,
          err,
          askHidden: await askHidden(),
          env: process.env,
          now,
        });
      }
      case "verify": {
        const io = { out: announce, err, fetch };
        // A file to check comes first; the recount starts with its options.
        if (argv[1] !== undefined && !argv[1].startsWith("-")) {
          const { verifyReceiptCommand } = await import("./cli/verify-receipt.ts");
          return await verifyReceiptCommand(argv.slice(1), io);
        }
        const { verifyLogCommand } = await import("./cli/verify-log.ts");
        return await verifyLogCommand(argv.slice(1), io);
      }
      case "audit-count": {
        const { auditCountCommand } = await import("./cli/audit-count.ts");
        return await auditCountCommand(argv.slice(1), {
          out: write,
          err,
          askHidden: await askHidden(),
          env: process.env,
        });
      }
      case "backup": {
        const { backupCommand } = await import("./cli/backup.ts");
        return await backupCommand(argv.slice(1), { out: announce, err, stdout: process.stdout, now });
      }
      case "restore": {
        const { restoreCommand } = await import("./cli/restore.ts");
        return await restoreCommand(argv.slice(1), { out: announce, err });
      }
      case "setup-link": {
        const { setupLinkCommand } = await import("./cli/setup-link.ts");
        return await setupLinkCommand(argv.slice(1), { out: announce, err, now });
      }
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${HELP}\n`);
        return 0;
      default:
        process.stderr.write(`undersigned: unknown command "${command}"\n${HELP}\n`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`undersigned: invalid configuration: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function migrate(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const { openStore } = await import("./store/db.ts");
  const { migrateToLatest } = await import("./store/migrate.ts");
  const store = await openStore(config);
  try {
    const applied = await migrateToLatest(store.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "database is up to date\n");
    return 0;
  } finally {
    await store.close();
  }
}

async function serve(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const { createLogger } = await import("./log.ts");
  const { startServer } = await import("./web/server.ts");
  const log = createLogger(config.logLevel);
  const server = await startServer(config, log, announce);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      // Never hang past the orchestrator's patience: whatever is still open after this is abandoned.
      setTimeout(() => resolve(0), 1800).unref();
      try {
        await server.close();
      } finally {
        resolve(0);
      }
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });
}

/** Operator-facing lines go to stdout plainly (not as JSON log records) so a first run is readable. */
export function announce(line: string): void {
  process.stdout.write(`${line}\n`);
}
