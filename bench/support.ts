import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Fastify from "fastify";
import { loadConfig } from "../src/config.ts";
import { createLogger } from "../src/log.ts";
import { findChromium, PdfPrinter } from "../src/pdf/chromium.ts";
import { openStore, type Store } from "../src/store/db.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { getOrCreateSecret } from "../src/store/settings.ts";
import { buildApp } from "../src/web/app.ts";

/*
 * Benchmarks report speed as a ratio to a bare Fastify route measured in the same run on the same machine,
 * because absolute figures on shared two-core machines swing too much to compare across runs.
 */

const execFileAsync = promisify(execFile);
const autocannonCli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

export type Measurement = { requestsPerSecond: number; p99Ms: number; errors: number; non2xx: number };

/** What a browser sends with every page request; compression in particular changes what a page costs. */
export const BROWSER_HEADERS = {
  "accept-encoding": "gzip, deflate, br",
  "accept-language": "en-GB,en;q=0.9",
};

export async function measure(url: string, seconds: number, connections = 10): Promise<Measurement> {
  // The load generator runs as its own process, as wrk or a real crowd would: the figure is what the server
  // can do, not what it has left after parsing the responses. (A worker thread in this process was tried
  // first; it shares the process and moved the ratios by up to 0.1 from run to run.)
  const args = [autocannonCli, "--json", "-c", String(connections), "-d", String(seconds), "-p", "1"];
  for (const [name, value] of Object.entries(BROWSER_HEADERS)) args.push("-H", `${name}=${value}`);
  const { stdout } = await execFileAsync(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    non2xx: number;
  };
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** The reference: a Fastify route with no plugins that answers a small constant body. */
export async function startBareFastify(): Promise<{ url: string; close: () => Promise<void> }> {
  const bare = Fastify({ logger: false });
  bare.get("/", async () => ({ status: "ok" }));
  const address = await bare.listen({ port: 0, host: "127.0.0.1" });
  return { url: address, close: () => bare.close() };
}

/**
 * The real app on a scratch database (SQLite in a temp dir, or PostgreSQL when databaseUrl is given);
 * `env` adds configuration the way an operator's environment would.
 */
export async function startUndersigned(
  databaseUrl?: string,
  env: Record<string, string> = {},
): Promise<{
  url: string;
  store: Store;
  dataDir: string;
  close: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-bench-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  const store = await openStore(config);
  await migrateToLatest(store.db);
  const now = () => new Date();
  const app = await buildApp({
    store,
    config,
    log: createLogger("warn"),
    secret: await getOrCreateSecret(store.db, now()),
    now,
    pdf: new PdfPrinter(findChromium(config.chromiumPath)),
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: address,
    store,
    dataDir,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Measures the reference and each target in turn, `rounds` times, and reports every round's ratios and
 * their median. Interleaving means a slow minute on a shared machine hits both sides of a ratio alike.
 */
export async function interleavedRatios(
  referenceUrl: string,
  targets: { label: string; url: string }[],
  seconds: number,
  rounds = 5,
): Promise<Map<string, { ratios: number[]; median: number }>> {
  const ratios = new Map<string, number[]>(targets.map((t) => [t.label, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const target of targets) {
      const reference = await measure(referenceUrl, seconds);
      const ours = await measure(target.url, seconds);
      const r = ours.requestsPerSecond / reference.requestsPerSecond;
      ratios.get(target.label)!.push(r);
      console.log(
        `round ${round} ${target.label}: ${ours.requestsPerSecond.toFixed(0)} req/s (p99 ${ours.p99Ms} ms, errors ${ours.errors}, non-2xx ${ours.non2xx}) vs bare ${reference.requestsPerSecond.toFixed(0)} req/s → ${r.toFixed(2)}`,
      );
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return new Map([...ratios].map(([label, values]) => [label, { ratios: values, median: median(values) }]));
}

export function ratio(ours: Measurement, reference: Measurement): string {
  return (ours.requestsPerSecond / reference.requestsPerSecond).toFixed(2);
}
