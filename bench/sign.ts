/*
 * Sign-on throughput: endorsements submitted AND confirmed per second through HTTP, each one the way a
 * person without JavaScript does it (GET the form for its CSRF token and signed timestamp, POST it, the
 * server seals and queues the mail, then GET the confirmation link and POST its Confirm button), as a ratio
 * to a bare Fastify route
 * measured in the same run. Half are listed, half undisclosed; the letter needs no moderation, so a listed
 * endorsement is also listed at confirmation.
 *
 * Rate limits stay as in production (20 endorsements an hour per client address, the coarse per-address
 * flood guard): the bench turns on TRUST_PROXY, as a server behind a reverse proxy has it, and gives every
 * endorsement its own X-Forwarded-For address, like a crowd of signers would have.
 *
 * Run: npx tsx bench/sign.ts [endorsements] [concurrency]   (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { Worker } from "node:worker_threads";
import { createScratchDatabase } from "../test/databases.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import type { SignClientInput, SignClientResult } from "./sign-client.ts";
import { measure, startBareFastify, startUndersigned } from "./support.ts";

const count = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 10);
// A scratch database on PostgreSQL, so the run neither depends on nor leaves rows in the one named.
const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL) : undefined;
const bare = await startBareFastify();
const app = await startUndersigned(scratch?.url, { TRUST_PROXY: "1" });

function signClient(input: SignClientInput): Promise<SignClientResult> {
  return new Promise((resolve, reject) => {
    // Module loaders registered in this thread do not reach workers: the worker registers tsx itself first,
    // as bin/undersigned.js does, then loads the TypeScript client.
    const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then(({ register }) => {
      register();
      return import(${JSON.stringify(new URL("./sign-client.ts", import.meta.url).href)});
    })`;
    const worker = new Worker(boot, { eval: true, workerData: input });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

try {
  const letter = await insertSignableLetter(app.store.db, { moderation: false });
  const run = (round: number, n: number) =>
    signClient({
      baseUrl: app.url,
      slug: letter.slug,
      round,
      count: n,
      concurrency,
      dataDir: app.dataDir,
      databaseUrl: scratch?.url,
    });
  // Warm: JIT, connections, the first renders.
  await measure(bare.url, 2);
  await run(1, 200);

  const database = scratch ? "PostgreSQL" : "SQLite";
  const reference = await measure(bare.url, 10);
  const result = await run(2, count);
  const perSecond = (result.endorsements / result.busyMs) * 1000;
  console.log(
    `bare Fastify route: ${reference.requestsPerSecond.toFixed(0)} req/s (p99 ${reference.p99Ms} ms), errors ${reference.errors}`,
  );
  console.log(
    `sign-on, ${database}: ${result.endorsements} of ${count} endorsements submitted and confirmed ` +
      `(${concurrency} at a time) in ${(result.busyMs / 1000).toFixed(1)} s of HTTP ` +
      `(forms ${(result.formsMs / 1000).toFixed(1)} s, submit + confirm ${(result.submitMs / 1000).toFixed(1)} s): ` +
      `${perSecond.toFixed(0)} endorsements/s`,
  );
  if (result.failures.length > 0) console.log(`failures: ${result.failures.slice(0, 5).join("; ")}`);
  // Each endorsement is four requests (form, submission, confirmation page, Confirm) and two write transactions.
  console.log(`ratio endorsements/s ÷ bare req/s: ${(perSecond / reference.requestsPerSecond).toFixed(3)}`);
  console.log(
    `ratio sign-on requests/s ÷ bare req/s: ${((4 * perSecond) / reference.requestsPerSecond).toFixed(3)}`,
  );
} finally {
  await app.close();
  await bare.close();
  await scratch?.drop();
}
