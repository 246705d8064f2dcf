/*
 * The load generator of bench/sign.ts, in a worker thread so that it does not share the server's event loop:
 * the figure is what the server can do, not what is left after the client's own work. It signs like a
 * browser without JavaScript (the server seals), one client address per endorsement, and reads each
 * confirmation link from the outbox the way the tests do (the outbox worker is not running, so the mail
 * stays there with its link).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openStore } from "../src/store/db.ts";
import { FASTEST_HUMAN_MS } from "../src/web/forms/form-stamp.ts";

export type SignClientInput = {
  baseUrl: string;
  slug: string;
  /** Distinguishes rounds (warm-up, measured): addresses, names and emails never repeat across them. */
  round: number;
  count: number;
  concurrency: number;
  dataDir: string;
  databaseUrl: string | undefined;
};

export type SignClientResult = {
  endorsements: number;
  failures: string[];
  /** Time spent on HTTP: opening the forms, then sending and confirming them (the wait between excluded). */
  busyMs: number;
  formsMs: number;
  submitMs: number;
};

type OpenForm = { cookie: string; csrf: string; ts: string; ip: string };

const input = workerData as SignClientInput;
const store = await openStore({ dataDir: input.dataDir, databaseUrl: input.databaseUrl });

/**
 * A distinct address per endorsement (TRUST_PROXY is on in the bench server), each in a /24 of its own as
 * far as 256 go: sign-on is limited per /24 prefix and day, as a crowd of signers is spread over networks.
 */
const clientAddress = (i: number) => `10.${input.round}.${i & 255}.${(i >> 8) & 255}`;

async function inParallel(count: number, work: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: input.concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return performance.now() - started;
}

const forms: (OpenForm | undefined)[] = [];
const failures: string[] = [];

const formsMs = await inParallel(input.count, async (i) => {
  const ip = clientAddress(i);
  const response = await fetch(`${input.baseUrl}/letters/${input.slug}/sign`, {
    headers: { "x-forwarded-for": ip },
  });
  const body = await response.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  const ts = /name="ts" value="([^"]+)"/.exec(body)?.[1];
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (response.status !== 200 || !csrf || !ts) failures.push(`form ${i}: ${response.status}`);
  else forms[i] = { cookie, csrf, ts, ip };
});

// A person reads the form before sending it; the server refuses anything faster. Not server work: not timed.
await new Promise((resolve) => setTimeout(resolve, FASTEST_HUMAN_MS + 100));

let endorsements = 0;
const submitMs = await inParallel(input.count, async (i) => {
  const form = forms[i];
  if (!form) return;
  const email = `bench-${input.round}-${i}@example.org`;
  const undisclosed = i % 2 === 1;
  const posted = await fetch(`${input.baseUrl}/letters/${input.slug}/sign`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: form.cookie,
      "x-forwarded-for": form.ip,
    },
    body: new URLSearchParams({
      _csrf: form.csrf,
      ts: form.ts,
      visibility: undisclosed ? "undisclosed" : "listed",
      name: `Bench Organisation ${input.round}-${i}`,
      category: "regional",
      country: "TH",
      website: `https://bench-${input.round}-${i}.example.org`,
      contact_person: `Contact ${i}`,
      email,
      consent: "yes",
    }).toString(),
  });
  await posted.arrayBuffer();
  if (posted.status !== 303) return void failures.push(`submit ${i}: ${posted.status}`);
  const mail = await store.db
    .selectFrom("outbox_messages")
    .select("text_body")
    .where("to_address", "=", email)
    .executeTakeFirst();
  const link = /\/letters\/\S+\/confirm\/[^?\s]+/.exec(mail?.text_body ?? "")?.[0];
  if (!link) return void failures.push(`mail ${i}: no confirmation link`);
  // Opening the link shows the Confirm button (opening alone confirms nothing); pressing it confirms.
  // The same browser: it sends the cookies the form page set, so the page's CSRF token pairs with them.
  const opened = await fetch(`${input.baseUrl}${link}`, {
    headers: { cookie: form.cookie, "x-forwarded-for": form.ip },
  });
  const page = await opened.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (opened.status !== 200 || !csrf) return void failures.push(`open ${i}: ${opened.status}`);
  const cookie = form.cookie;
  const confirmed = await fetch(`${input.baseUrl}${link}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie,
      "x-forwarded-for": form.ip,
    },
    body: new URLSearchParams({ _csrf: csrf }).toString(),
  });
  await confirmed.arrayBuffer();
  if (confirmed.status !== 200) return void failures.push(`confirm ${i}: ${confirmed.status}`);
  endorsements += 1;
});

await store.close();
parentPort!.postMessage({
  endorsements,
  failures,
  busyMs: formsMs + submitMs,
  formsMs,
  submitMs,
} satisfies SignClientResult);
