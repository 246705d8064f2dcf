/*
 * A surge: two app processes (`undersigned serve`, as operators run them) on one PostgreSQL database, and in
 * one minute 5,000 readers opening the letter page and 500 signers going through the whole sign flow the
 * way a person without JavaScript does (open the form, wait as a person reads it, send it, open the link
 * from the confirmation mail, press Confirm). Every reader and signer starts at a random moment of the
 * minute and goes to either process. Mail goes out over SMTP to a real SMTP server in this process, from
 * which signers take their links: the outbox workers of both processes run as in production.
 *
 * Reports, per kind of request, how many, the errors (network failures and unexpected statuses) and the
 * latency at p50 and p99, how long signers waited for their confirmation mail, and the endorsements
 * confirmed in the database at the end.
 *
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/surge.ts [readers] [signers] [seconds]
 * (a scratch database is created from DATABASE_URL and dropped after)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openStore } from "../src/store/db.ts";
import { FASTEST_HUMAN_MS } from "../src/web/forms/form-stamp.ts";
import { createScratchDatabase } from "../test/databases.ts";
import { freePort } from "../test/free-port.ts";
import { insertSignatures } from "../test/letter-factory.ts";
import { insertSignableLetter } from "../test/sign-on-factory.ts";
import { startSmtpPeer } from "../test/smtp-peer.ts";

const readers = Number(process.argv[2] ?? 5000);
const signers = Number(process.argv[3] ?? 500);
const seconds = Number(process.argv[4] ?? 60);
if (!process.env.DATABASE_URL)
  throw new Error("set DATABASE_URL to a PostgreSQL server (a scratch database is made)");

/** "mail wait" is no request: from the submission's answer until the SMTP server has the confirmation mail. */
type Kind = "letter page" | "sign form" | "sign submit" | "mail wait" | "confirm page" | "confirm";
const latencies = new Map<Kind, number[]>();
const errors = new Map<Kind, string[]>();
const note = <T>(map: Map<Kind, T[]>, kind: Kind, value: T) => {
  const list = map.get(kind) ?? [];
  list.push(value);
  map.set(kind, list);
};

const scratch = await createScratchDatabase(process.env.DATABASE_URL);
const peer = await startSmtpPeer();
const links = new Map<string, { link: string; at: number }>();
peer.onMessage = (mail) => {
  const to = mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined;
  const link = /\/letters\/\S+\/confirm\/[^?\s]+/.exec(mail.text ?? "")?.[0];
  if (to && link) links.set(to, { link, at: performance.now() });
  return undefined;
};
const dirs: string[] = [];
const servers: { child: ChildProcess; url: string }[] = [];

async function startServe(baseUrl?: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "undersigned-surge-"));
  dirs.push(dataDir);
  const env = { ...process.env };
  for (const key of ["PORT", "HOST", "DATA_DIR", "DATABASE_URL", "SMTP_URL", "BASE_URL"]) delete env[key];
  const child = spawn(process.execPath, [path.resolve("bin/undersigned.js"), "serve"], {
    env: {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: scratch.url,
      SMTP_URL: peer.url,
      BASE_URL: baseUrl ?? url,
      // Behind one reverse proxy, which passes each visitor's address: every visitor here has their own.
      TRUST_PROXY: "1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout!.resume();
  const server = { child, url };
  servers.push(server);
  for (const until = Date.now() + 30_000; ; ) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    if (Date.now() > until || child.exitCode !== null) throw new Error("a server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function timed(
  kind: Kind,
  request: () => Promise<Response>,
  expected: number,
): Promise<Response | undefined> {
  const started = performance.now();
  try {
    const response = await request();
    const body = await response.text();
    note(latencies, kind, performance.now() - started);
    if (response.status !== expected) {
      note(errors, kind, String(response.status));
      return undefined;
    }
    return Object.assign(response, { bodyText: body });
  } catch (error) {
    note(errors, kind, (error as Error).message);
    return undefined;
  }
}

const textOf = (response: Response | undefined) =>
  (response as (Response & { bodyText: string }) | undefined)?.bodyText ?? "";
const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const first = await startServe();
  const store = await openStore({ dataDir: dirs[0]!, databaseUrl: scratch.url });
  const letter = await insertSignableLetter(store.db, { moderation: false });
  // A letter already well signed: its page lists 1,000 organisations.
  await insertSignatures(
    store.db,
    letter,
    Array.from({ length: 1000 }, (_, i) => ({ displayName: `Organisation ${i} for Human Rights` })),
  );
  const second = await startServe(first.url);
  const targets = [first.url, second.url];
  console.log(`two servers on one PostgreSQL database: ${targets.join(", ")}`);

  const reader = async (i: number) => {
    await timed(
      "letter page",
      () =>
        fetch(`${targets[i % 2]}/letters/${letter.slug}`, {
          headers: {
            "x-forwarded-for": `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
            "accept-encoding": "br",
          },
        }),
      200,
    );
  };
  let confirmed = 0;
  const signer = async (i: number) => {
    const ip = `10.${(i >> 8) & 255}.${i & 255}.7`;
    const base = targets[i % 2]!;
    const email = `surge-${i}@example.org`;
    const form = await timed(
      "sign form",
      () => fetch(`${base}/letters/${letter.slug}/sign`, { headers: { "x-forwarded-for": ip } }),
      200,
    );
    if (!form) return;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(textOf(form))?.[1] ?? "";
    const ts = /name="ts" value="([^"]+)"/.exec(textOf(form))?.[1] ?? "";
    const cookie = cookiesOf(form);
    await sleep(FASTEST_HUMAN_MS + 500 + Math.random() * 2000);
    // Sent to the other process than the form came from: nothing of a visitor lives in one process.
    const other = targets[(i + 1) % 2]!;
    const sent = await timed(
      "sign submit",
      () =>
        fetch(`${other}/letters/${letter.slug}/sign`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
          body: new URLSearchParams({
            _csrf: csrf,
            ts,
            visibility: i % 2 === 1 ? "undisclosed" : "listed",
            name: `Surge Organisation ${i}`,
            category: "regional",
            country: "TH",
            contact_person: `Contact ${i}`,
            email,
            consent: "yes",
          }).toString(),
        }),
      303,
    );
    if (!sent) return;
    const submitted = performance.now();
    let link: string | undefined;
    for (const until = Date.now() + 60_000; !link && Date.now() < until; ) {
      link = links.get(email)?.link;
      if (!link) await sleep(100);
    }
    if (!link) return void note(errors, "mail wait", "no confirmation mail within a minute");
    // The mail can beat the submission's answer (the worker is nudged at once): then no wait at all.
    note(latencies, "mail wait", Math.max(0, links.get(email)!.at - submitted));
    const page = await timed(
      "confirm page",
      () => fetch(`${base}${link}`, { headers: { cookie, "x-forwarded-for": ip } }),
      200,
    );
    if (!page) return;
    const token = /name="_csrf" value="([^"]+)"/.exec(textOf(page))?.[1] ?? "";
    const done = await timed(
      "confirm",
      () =>
        fetch(`${other}${link}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": ip },
          body: new URLSearchParams({ _csrf: token }).toString(),
        }),
      200,
    );
    if (done) confirmed += 1;
  };

  const window = seconds * 1000;
  const started = performance.now();
  await Promise.all([
    ...Array.from({ length: readers }, (_, i) => sleep(Math.random() * window).then(() => reader(i))),
    ...Array.from({ length: signers }, (_, i) => sleep(Math.random() * window).then(() => signer(i))),
  ]);
  const elapsed = (performance.now() - started) / 1000;

  const stored = await store.db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("letter_id", "=", letter.id)
    .where("state", "in", ["approved", "confirmed"])
    .where("display_name", "not like", "Organisation %")
    .executeTakeFirstOrThrow();
  const undisclosed = await store.db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("letter_id", "=", letter.id)
    .where("visibility", "=", "undisclosed")
    .where("state", "<>", "unconfirmed")
    .executeTakeFirstOrThrow();
  await store.close();

  const percentile = (values: number[], p: number) =>
    values.length === 0
      ? Number.NaN
      : [...values].sort((a, b) => a - b)[
          Math.min(values.length - 1, Math.floor((p / 100) * values.length))
        ]!;
  console.log(
    `${readers} readers and ${signers} signers over ${seconds} s (all done after ${elapsed.toFixed(1)} s)`,
  );
  console.log("| request | count | errors | p50 | p99 | max |");
  const kinds: Kind[] = ["letter page", "sign form", "sign submit", "mail wait", "confirm page", "confirm"];
  for (const kind of kinds) {
    const values = latencies.get(kind) ?? [];
    const failed = errors.get(kind) ?? [];
    console.log(
      `| ${kind} | ${values.length} | ${failed.length}${failed.length ? ` (${[...new Set(failed)].slice(0, 3).join(", ")})` : ""} | ${percentile(values, 50).toFixed(1)} ms | ${percentile(values, 99).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms |`,
    );
  }
  console.log(
    `endorsements confirmed: ${confirmed} of ${signers} through HTTP; in the database ${Number(stored.n) + Number(undisclosed.n)} (listed ${stored.n}, undisclosed ${undisclosed.n}); mails accepted by the SMTP server: ${peer.accepted.length}, distinct Message-IDs ${new Set(peer.accepted.map((m) => m.messageId)).size}`,
  );
} finally {
  for (const { child } of servers) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
  await peer.close();
  await scratch.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
