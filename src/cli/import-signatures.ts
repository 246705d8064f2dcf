import { parseArgs } from "node:util";
import {
  AnswersToConfirm,
  ImportRefused,
  type ImportStatus,
  importSignatures,
} from "../commands/import-signatures.ts";
import { loadConfig, loadDotEnv } from "../config.ts";
import type { KeyPair } from "../crypto/seal.ts";
import { sealingThread } from "../crypto/sealing.ts";
import {
  ANSWER_COLUMNS,
  type AnswerColumn,
  type AnswerMap,
  CANONICAL_ANSWERS,
  foldAnswer,
} from "../domain/answer-guesses.ts";
import type { EndorsementColumn } from "../domain/endorsement-file.ts";
import { EndorsementFileUnreadable } from "../domain/endorsement-file-reader.ts";
import { type EndorsementSource, openEndorsementFile } from "../domain/endorsement-file-stream.ts";
import { isEndorsementColumn } from "../domain/endorsement-import.ts";
import type { DateOrder } from "../domain/signed-at.ts";
import { openStore } from "../store/db.ts";
import { openCoalitionKeyFile } from "./cli-options.ts";
import { fullGarbageCollection } from "./garbage-collection.ts";

/*
 * `undersigned import signatures FILE.csv|FILE.xlsx --letter SLUG [--status confirmed|approved]
 * [--map column=Header …] [--value "column:Answer=value" …] [--dates dmy|mdy] [--key FILE
 * [--passphrase-file FILE]]` (DESIGN.md, "Endorsement files"): argument handling, opening the file and
 * printing the report. The import itself, sealing included, is src/commands/import-signatures.ts; it runs
 * here, on the machine of whoever runs this command, so undisclosed rows are sealed before anything
 * reaches the database. A CSV file is read as a stream and each batch's report lines are printed as it
 * commits, so a file of any size imports in the same memory; if the import is cut short, running the same
 * command again finishes it.
 */

export const IMPORT_SIGNATURES_HELP = `Usage: undersigned import signatures FILE.csv|FILE.xlsx --letter SLUG [--status confirmed|approved] [--map column=Header …] [--value "column:Answer=value" …] [--dates dmy|mdy] [--key FILE [--passphrase-file FILE]]

Imports endorsements from a CSV file (UTF-8; as Excel, LibreOffice or Google Forms export it) or an Excel
workbook (.xlsx, its first sheet; date cells are read as UTC). Columns:
name, name_alt, kind (organisation|individual), category, country, website, contact, email,
visibility (listed|undisclosed), signed_at; headers match case-insensitively, and --map name="Organisation
name" reads a column under another header (repeat --map per column). A form's answers in the visibility
and kind columns ("Yes", "Do not list our name", "ဟုတ်ကဲ့") must be confirmed before anything is imported:
--value "visibility:Yes=listed" --value "visibility:No=undisclosed" (kind answers: organisation or
individual). Without them the command lists the file's answers with its guesses and imports nothing.
Undisclosed rows are sealed with the campaign's public key on this machine before anything is written.
With --key (the coalition key file; its passphrase from the terminal, UNDERSIGNED_KEY_PASSPHRASE or
--passphrase-file), each undisclosed row also gets a match key only that key can compute, so importing an
updated export later adds only its new rows, undisclosed ones included: use --key on every import of a
form's exports. Rows are imported as --status (confirmed, the default, waits for review; approved counts
at once). Dates: ISO 8601, YYYY-MM-DD HH:MM, DD/MM/YYYY or M/D/YYYY with a time, or Excel serial dates;
times without a zone are UTC. A date like 04/03/2026 is read as the file's other rows show (a 14/03 is
day-first, a 3/14 month-first); when the file does not settle it, --dates dmy or --dates mdy does, and
without it such rows are imported without a date and listed. Names already on the letter, names repeated
in the file and a file imported before are reported as duplicates and not imported. Old .xls workbooks are
not read: save them as .xlsx or CSV UTF-8.
Prints one line per row as the rows are stored, in batches, and "imported N, duplicates N, rejected N". An
import that was cut short (a crash, Ctrl-C) is finished by running the same command on the same file again.`;

export type ImportSignaturesIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  now: () => Date;
  env: NodeJS.ProcessEnv;
  /** Asks for the key file's passphrase without echo; absent where there is no terminal. */
  askHidden?: ((prompt: string) => Promise<string>) | undefined;
};

/** Rows imported between two full garbage collections: a few megabytes of dead rows, ~50 ms to collect. */
const ROWS_BETWEEN_COLLECTIONS = 5_000;

const DATES: Record<string, DateOrder> = { dmy: "day-first", mdy: "month-first" };

export async function importSignaturesCommand(argv: string[], io: ImportSignaturesIo): Promise<number> {
  const command = "undersigned import signatures";
  const usage = (problem: string) => {
    io.err(`${command}: ${problem}\n${IMPORT_SIGNATURES_HELP}`);
    return 2;
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${IMPORT_SIGNATURES_HELP}\n`);
    return 0;
  }
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0 || !values.letter) return usage("one FILE and --letter SLUG are required");
  const status = values.status as ImportStatus;
  if (status !== "confirmed" && status !== "approved") return usage("--status is confirmed or approved");
  const map: Partial<Record<EndorsementColumn, string>> = {};
  for (const pair of values.map ?? []) {
    const at = pair.indexOf("=");
    const column = pair.slice(0, at).trim();
    if (at < 1 || !isEndorsementColumn(column) || pair.slice(at + 1).trim() === "")
      return usage(`--map ${pair}: expected column=Header with a column among name, kind, category, …`);
    map[column] = pair.slice(at + 1).trim();
  }
  const answers: AnswerMap = {};
  for (const pair of values.value ?? []) {
    const colon = pair.indexOf(":");
    const equals = pair.lastIndexOf("=");
    const column = pair.slice(0, colon).trim();
    const answer = foldAnswer(pair.slice(colon + 1, equals));
    const value = pair
      .slice(equals + 1)
      .trim()
      .toLowerCase();
    if (
      colon < 1 ||
      equals < colon ||
      !(ANSWER_COLUMNS as readonly string[]).includes(column) ||
      answer === "" ||
      !(CANONICAL_ANSWERS[column as AnswerColumn] as readonly string[]).includes(value)
    )
      return usage(
        `--value ${pair}: expected "visibility:Answer=listed|undisclosed" or "kind:Answer=organisation|individual"`,
      );
    const confirmed = { ...answers[column as AnswerColumn] } as Record<string, string>;
    confirmed[answer] = value;
    Object.assign(answers, { [column]: confirmed });
  }
  if (values.dates !== undefined && !(values.dates in DATES)) return usage("--dates is dmy or mdy");
  const dates = values.dates === undefined ? undefined : DATES[values.dates];
  if (values["passphrase-file"] && !values.key) return usage("--passphrase-file goes with --key");
  let source: EndorsementSource;
  try {
    source = await openEndorsementFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return usage(`there is no file ${path}`);
    if (error instanceof EndorsementFileUnreadable) return usage(`${path}: ${error.message}`);
    throw error;
  }

  let key: KeyPair | undefined;
  if (values.key) {
    const opened = await openCoalitionKeyFile({ ...values, key: values.key }, io, command);
    if (typeof opened === "number") return opened;
    key = opened;
  }

  loadDotEnv();
  const store = await openStore(loadConfig(io.env));
  // The import's boxes are sealed on the other core while this one reads and stores.
  const sealing = sealingThread();
  // The first progress report says whether an earlier, unfinished run of this file is being finished.
  let started = false;
  // Memory stays flat whatever the file's size: what a batch leaves behind is collected every few batches.
  const collect = fullGarbageCollection();
  let collectedAt = 0;
  let undated = 0;
  try {
    const report = await importSignatures(
      { store },
      {
        actor: "cli",
        letterSlug: values.letter,
        source,
        status,
        map,
        answers,
        dates,
        key,
        sealer: sealing.sealer,
        onRows: (rows) => {
          for (const r of rows) if (r.outcome === "imported" && r.code === "dateAmbiguous") undated++;
          io.out(rows.map((r) => `row ${r.row}: ${r.outcome}${r.reason ? `: ${r.reason}` : ""}\n`).join(""));
        },
        onProgress: (progress) => {
          if (progress.rowsDone - collectedAt >= ROWS_BETWEEN_COLLECTIONS) {
            collectedAt = progress.rowsDone;
            collect();
          }
          if (started) return;
          started = true;
          if (progress.rowsDone > 0)
            io.err(`${command}: finishing an earlier import of this file after row ${progress.rowsDone}`);
        },
      },
      io.now(),
    );
    if (report.ignoredColumns.length > 0)
      io.err(`${command}: ignored columns: ${report.ignoredColumns.join(", ")}`);
    if (undated > 0)
      io.err(
        `${command}: ${undated} rows imported without a date: their dates could be day-first or month-first (--dates dmy|mdy)`,
      );
    if (report.undisclosedWithoutKey > 0)
      io.err(
        `${command}: ${report.undisclosedWithoutKey} undisclosed rows were imported without --key: an updated export imported later cannot recognise them`,
      );
    io.out(`imported ${report.imported}, duplicates ${report.duplicates}, rejected ${report.rejected}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AnswersToConfirm) {
      io.err(answersToConfirmText(command, error));
      return 2;
    }
    if (error instanceof ImportRefused) {
      io.err(`${command}: ${error.message}`);
      return error.usage ? 2 : 1;
    }
    throw error;
  } finally {
    await sealing.close();
    await store.close();
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      letter: { type: "string" },
      status: { type: "string", default: "confirmed" },
      map: { type: "string", multiple: true },
      value: { type: "string", multiple: true },
      dates: { type: "string" },
      key: { type: "string" },
      "passphrase-file": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** The answers to confirm, each with the --value that would confirm the importer's guess. */
function answersToConfirmText(command: string, error: AnswersToConfirm): string {
  const lines = [`${command}: nothing was imported; confirm what these answers mean first:`];
  for (const a of error.answers) {
    const flag = (value: string) => `--value "${a.column}:${a.answer.replaceAll('"', '\\"')}=${value}"`;
    lines.push(
      a.guess
        ? `  ${a.column} "${a.answer}" (column "${a.header}"): looks ${a.guess}: ${flag(a.guess)}`
        : `  ${a.column} "${a.answer}" (column "${a.header}"): no guess: ${flag(CANONICAL_ANSWERS[a.column].join("|"))}`,
    );
  }
  return lines.join("\n");
}
