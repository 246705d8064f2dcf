/*
 * Foundation overhead: GET /healthz (every plugin, hooks, a database round trip) against a bare Fastify
 * route, measured in the same run.  Run: npx tsx bench/health.ts [seconds]
 */
import { measure, ratio, startBareFastify, startUndersigned } from "./support.ts";

const seconds = Number(process.argv[2] ?? 10);
const bare = await startBareFastify();
const app = await startUndersigned(process.env.DATABASE_URL);
try {
  // Warm both servers so JIT and connection set-up do not favour the one measured second.
  await measure(bare.url, 2);
  await measure(`${app.url}/healthz`, 2);
  const reference = await measure(bare.url, seconds);
  const ours = await measure(`${app.url}/healthz`, seconds);
  const db = process.env.DATABASE_URL ? "PostgreSQL" : "SQLite";
  console.log(
    `bare Fastify route: ${reference.requestsPerSecond.toFixed(0)} req/s (p99 ${reference.p99Ms} ms)`,
  );
  console.log(
    `/healthz on ${db}: ${ours.requestsPerSecond.toFixed(0)} req/s (p99 ${ours.p99Ms} ms), errors ${ours.errors}, non-2xx ${ours.non2xx}`,
  );
  console.log(`ratio /healthz ÷ bare: ${ratio(ours, reference)}`);
} finally {
  await app.close();
  await bare.close();
}
