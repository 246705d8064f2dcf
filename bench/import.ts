/*
 * Endorsement-file import throughput: rows per second through `undersigned import signatures` (the CLI
 * command as an operator runs it: read the file, parse, check, seal, duplicate checks, one transaction),
 * for a generated form export of 100,000 distinct endorsements with the messy fixture's repeats, invalid
 * rows, Zawgyi names and undisclosed rows; and the process's peak memory (maxRSS), which also covers
 * generating the file in this process beforehand.
 *
 * Run: npx tsx bench/import.ts [rows]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { importSignaturesCommand } from "../src/cli/import-signatures.ts";
import { openStore } from "../src/store/db.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createScratchDatabase } from "../test/databases.ts";
import { FORM_MAP, messyEndorsementFile } from "../test/endorsement-csv.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";

const rows = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-bench-import-"));
// A scratch database on PostgreSQL, so the run neither depends on nor leaves rows in the one named.
const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
try {
  const store = await openStore({ dataDir, databaseUrl: scratch?.url });
  await migrateToLatest(store.db);
  const letter = await insertSignableLetter(store.db, { signers: "both" });
  await store.db.updateTable("letters").set({ allow_undisclosed: 1 }).where("id", "=", letter.id).execute();
  await store.close();

  const fixture = messyEndorsementFile(rows);
  const file = path.join(dataDir, "form-export.csv");
  writeFileSync(file, fixture.text);
  const records = fixture.expected.imported + fixture.expected.duplicates + fixture.expected.rejected;

  let summary = "";
  const started = performance.now();
  const code = await importSignaturesCommand(
    [file, "--letter", letter.slug, ...Object.entries(FORM_MAP).flatMap(([c, h]) => ["--map", `${c}=${h}`])],
    {
      out: (text) => {
        summary = text;
      },
      err: () => {},
      now: () => new Date(),
      env: { DATA_DIR: dataDir, ...(scratch ? { DATABASE_URL: scratch.url } : {}) },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import exited ${code}`);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`database:        ${scratch ? "PostgreSQL" : "SQLite"}`);
  console.log(
    `file:            ${records.toLocaleString("en")} rows, ${(fixture.text.length / 1e6).toFixed(1)} M characters`,
  );
  console.log(`result:          ${summary.trim()}`);
  console.log(`time:            ${seconds.toFixed(1)} s`);
  console.log(`rows per second: ${Math.round(records / seconds).toLocaleString("en")}`);
  console.log(`peak memory:     ${maxRssMiB.toFixed(0)} MiB (maxRSS)`);
} finally {
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
