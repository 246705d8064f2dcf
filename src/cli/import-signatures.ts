import { parseArgs } from "node:util";
import { ImportRefused, type ImportStatus, importSignatures } from "../commands/import-signatures.ts";
import { loadConfig, loadDotEnv } from "../config.ts";
import type { EndorsementColumn } from "../domain/endorsement-file.ts";
import { EndorsementFileUnreadable } from "../domain/endorsement-file-reader.ts";
import { type EndorsementSource, openEndorsementFile } from "../domain/endorsement-file-stream.ts";
import { isEndorsementColumn } from "../domain/endorsement-import.ts";
import { openStore } from "../store/db.ts";

/*
 * `undersigned import signatures FILE.csv|FILE.xlsx --letter SLUG [--status confirmed|approved]
 * [--map column=Header …]` (DESIGN.md, "Endorsement files"): argument handling, opening the file and
 * printing the report. The import itself, sealing included, is src/commands/import-signatures.ts; it runs
 * here, on the machine of whoever runs this command, so undisclosed rows are sealed before anything
 * reaches the database. A CSV file is read as a stream and each batch's report lines are printed as it
 * commits, so a file of any size imports in the same memory; if the import is cut short, running the same
 * command again finishes it.
 */

export const IMPORT_SIGNATURES_HELP = `Usage: undersigned import signatures FILE.csv|FILE.xlsx --letter SLUG [--status confirmed|approved] [--map column=Header …]

Imports endorsements from a CSV file (UTF-8; as Excel, LibreOffice or Google Forms export it) or an Excel
workbook (.xlsx, its first sheet; date cells are read as UTC). Columns:
name, name_alt, kind (organisation|individual), category, country, website, contact, email,
visibility (listed|undisclosed), signed_at; headers match case-insensitively, and --map name="Organisation
name" reads a column under another header (repeat --map per column). Undisclosed rows are sealed with the
campaign's public key on this machine before anything is written. Rows are imported as --status
(confirmed, the default, waits for review; approved counts at once). Dates: ISO 8601, YYYY-MM-DD HH:MM,
DD/MM/YYYY or M/D/YYYY with a time, or Excel serial dates; a file whose dates could be either is read
day-first unless one of its rows is only possible month-first; times without a zone are UTC. Names already
on the letter, names repeated in the file and a file imported before are reported as duplicates and not
imported. Old .xls workbooks are not read: save them as .xlsx or CSV UTF-8.
Prints one line per row as the rows are stored, in batches, and "imported N, duplicates N, rejected N". An
import that was cut short (a crash, Ctrl-C) is finished by running the same command on the same file again.`;

export type ImportSignaturesIo = {
  out: (text: string) => void;
  err: (line: string) => void;
  now: () => Date;
  env: NodeJS.ProcessEnv;
};

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
  let source: EndorsementSource;
  try {
    source = await openEndorsementFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return usage(`there is no file ${path}`);
    if (error instanceof EndorsementFileUnreadable) return usage(`${path}: ${error.message}`);
    throw error;
  }

  loadDotEnv();
  const store = await openStore(loadConfig(io.env));
  // The first progress report says whether an earlier, unfinished run of this file is being finished.
  let started = false;
  try {
    const report = await importSignatures(
      { store },
      {
        actor: "cli",
        letterSlug: values.letter,
        source,
        status,
        map,
        onRows: (rows) =>
          io.out(rows.map((r) => `row ${r.row}: ${r.outcome}${r.reason ? `: ${r.reason}` : ""}\n`).join("")),
        onProgress: (progress) => {
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
    io.out(`imported ${report.imported}, duplicates ${report.duplicates}, rejected ${report.rejected}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ImportRefused) {
      io.err(`${command}: ${error.message}`);
      return error.usage ? 2 : 1;
    }
    throw error;
  } finally {
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
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: true,
  });
}
