/*
 * Endorsement-file import throughput and memory: rows per second through `undersigned import signatures`
 * (the CLI command as an operator runs it: the file streamed, parsed, checked, sealed, duplicates checked,
 * stored in batches), over a baseline measured in the same run on the same database: the same file read
 * and parsed by the same reader and its rows inserted in the same batches, without checks, sealing or
 * duplicate checks. The file is a generated form export of `rows` distinct endorsements with the messy
 * fixture's repeats, invalid rows, Zawgyi names and undisclosed rows (one in nine).
 *
 * Each part runs in a process of its own, so the peak memory (maxRSS) printed is the import's alone, not
 * the generator's or the baseline's.
 *
 * Run: npx tsx bench/import.ts [rows]   (DATABASE_URL=postgres://… for PostgreSQL: a scratch database)
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { importSignaturesCommand } from "../src/cli/import-signatures.ts";
import { openEndorsementFile } from "../src/domain/endorsement-file-stream.ts";
import { mapColumns } from "../src/domain/endorsement-import.ts";
import { insertRows } from "../src/store/bulk-insert.ts";
import { openStore } from "../src/store/db.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { FORM_MAP, messyEndorsementFile } from "../test/endorsement-csv.ts";

type Part = { records?: number; summary?: string; seconds?: number; maxRssMiB: number };

/** Runs one part of the bench in a child process of its own and reads back what it measured. */
function inChild(part: string, ...args: string[]): Part {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, part, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Part;
}

const report = (part: Omit<Part, "maxRssMiB">) =>
  console.log(JSON.stringify({ ...part, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));

const env = (dataDir: string, databaseUrl: string | undefined) => ({
  DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});

/** The generated file, written where the other parts read it. */
function generate(file: string, rows: number): void {
  const fixture = messyEndorsementFile(rows);
  writeFileSync(file, fixture.text);
  report({ records: fixture.expected.imported + fixture.expected.duplicates + fixture.expected.rejected });
}

/**
 * The same file through the same reader, its rows inserted as they come in batches of the import's size and
 * by the import's own bulk insert (bulk-insert.ts).
 */
async function baseline(file: string, dataDir: string, databaseUrl: string | undefined, letterId: number) {
  const store = await openStore({ dataDir, databaseUrl });
  const started = performance.now();
  const version = await store.db
    .selectFrom("letters")
    .select("current_version_id")
    .where("id", "=", letterId)
    .executeTakeFirstOrThrow();
  const source = await openEndorsementFile(file);
  const { columns } = mapColumns(source.header, FORM_MAP);
  const at = new Date().toISOString();
  let batch: string[][] = [];
  let records = 0;
  const flush = async () => {
    const salts = randomBytes(32 * batch.length);
    const values = batch.map((record, i) => ({
      letter_id: letterId,
      version_id: version.current_version_id!,
      kind: "organisation" as const,
      visibility: "listed" as const,
      display_name: record[columns.name!] ?? "",
      state: "confirmed" as const,
      counted: 1,
      source: "import" as const,
      listed_salt: salts.toString("base64url", 32 * i, 32 * (i + 1)),
      created_at: at,
      confirmed_at: at,
      updated_at: at,
    }));
    await store.db.transaction().execute((trx) => insertRows(trx, "signatures", values));
    batch = [];
  };
  for await (const record of source.body()) {
    records++;
    batch.push(record);
    if (batch.length === 1_000) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  report({ records, seconds });
}

/** The import as an operator runs it. */
async function runImport(file: string, dataDir: string, databaseUrl: string | undefined, slug: string) {
  let summary = "";
  const started = performance.now();
  const code = await importSignaturesCommand(
    [file, "--letter", slug, ...Object.entries(FORM_MAP).flatMap(([c, h]) => ["--map", `${c}=${h}`])],
    {
      out: (text) => {
        summary = text;
      },
      err: () => {},
      now: () => new Date(),
      env: env(dataDir, databaseUrl),
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import exited ${code}`);
  report({ summary: summary.trim(), seconds });
}

async function main(rows: number): Promise<void> {
  // Loaded here, not above: the import's process must not carry the test helpers (vitest among them) in
  // the peak memory it reports.
  const { createScratchDatabase } = await import("../test/databases.ts");
  const { insertSignableLetter } = await import("../test/sign-on-factory.ts");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-bench-import-"));
  // A scratch database on PostgreSQL, so the run neither depends on nor leaves rows in the one named.
  const scratch = process.env.DATABASE_URL
    ? await createScratchDatabase(process.env.DATABASE_URL)
    : undefined;
  try {
    const store = await openStore({ dataDir, databaseUrl: scratch?.url });
    await migrateToLatest(store.db);
    const letter = await insertSignableLetter(store.db, { signers: "both" });
    const plain = await insertSignableLetter(store.db, { signers: "both" });
    await store.db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
    await store.close();

    const file = path.join(dataDir, "form-export.csv");
    const { records } = inChild("generate", file, String(rows));
    const base = inChild("baseline", file, dataDir, scratch?.url ?? "", String(plain.id));
    const imported = inChild("import", file, dataDir, scratch?.url ?? "", letter.slug);
    const rate = records! / imported.seconds!;
    const baseRate = base.records! / base.seconds!;
    console.log(`database:        ${scratch ? "PostgreSQL" : "SQLite"}`);
    console.log(`file:            ${records!.toLocaleString("en")} rows`);
    console.log(`result:          ${imported.summary}`);
    console.log(
      `time:            ${imported.seconds!.toFixed(1)} s (baseline ${base.seconds!.toFixed(1)} s)`,
    );
    console.log(`baseline:        ${Math.round(baseRate).toLocaleString("en")} rows/s`);
    console.log(`rows per second: ${Math.round(rate)}`);
    console.log(`peak memory: ${imported.maxRssMiB.toFixed(0)} MiB`);
    console.log(`ratio: ${(rate / baseRate).toFixed(2)}`);
  } finally {
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const [part, ...args] = process.argv.slice(2);
if (part === "generate") generate(args[0]!, Number(args[1]));
else if (part === "baseline") await baseline(args[0]!, args[1]!, args[2] || undefined, Number(args[3]));
else if (part === "import") await runImport(args[0]!, args[1]!, args[2] || undefined, args[3]!);
else await main(Number(part ?? 100_000));
