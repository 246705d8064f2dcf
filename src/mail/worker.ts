import { type Kysely, sql } from "kysely";
import type { Logger } from "../log.ts";
import type { Dialect } from "../store/db.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { onMailQueued } from "./outbox.ts";
import {
  claimNext,
  markFailed,
  markHandedOver,
  markSent,
  type OutboxRow,
  renewLease,
} from "./outbox-claims.ts";
import {
  type Accepted,
  MailSendError,
  type MailTransport,
  type OutboundMail,
  scrubAddresses,
} from "./transports.ts";

/*
 * The outbox worker: sends what enqueueMail (outbox.ts) queued, from any number of processes on one database.
 * What it writes to the outbox table (claims, leases, outcomes) is outbox-claims.ts.
 *
 * A message moves pending → sending → sent | pending (retry later) | failed. Claiming is one atomic UPDATE
 * that sets state "sending", a lease and attempts + 1 on the oldest due message; on PostgreSQL its subquery
 * takes the row FOR UPDATE SKIP LOCKED, so concurrent workers claim different messages without waiting on
 * each other, and on SQLite the statement holds the single write lock. The send happens outside any
 * transaction (an SMTP conversation must not hold database locks), then the outcome is recorded. While a
 * send runs the worker renews its lease, so a slow peer never makes the message look abandoned; a message
 * whose lease ran out belongs to a worker that died, and is claimed again. `attempts` doubles as a fencing
 * token: a worker only records a failure if the row still carries the attempt number it claimed.
 *
 * Sent at most once. The one moment a duplicate could arise is between the peer committing the message
 * (just before it answers 250 to the final ".") and our UPDATE to "sent" committing. The SMTP transport
 * closes it (smtp-transport.ts): it holds back the message's last bytes until this worker has recorded,
 * fenced by its attempt number, that the attempt hands the message over (`handed_over_attempt`). Then:
 *
 * - a worker that dies (kill -9, power loss, a SIGTERM whose 1 s grace ran out) before that record leaves
 *   a message the peer cannot have taken: once the lease runs out it is sent again, with the same
 *   Message-ID and Date;
 * - a worker that dies after it, or loses the connection with no answer after it (the 250 lost on the
 *   wire), leaves a message the peer has whole and most likely took: it is recorded as sent, its answer
 *   saying "possibly sent", and never sent again. It is lost only if the peer also failed to take it in
 *   that same moment; the console shows the deliveries that concerns;
 * - an answer (4xx, 5xx) after the hand-over means the peer refused it: retried or failed as usual.
 *
 * The lease keeps a live worker's message from being taken over however slow the peer is, and a worker
 * whose lease was taken over cannot hand the message over (its record matches no row), so two workers never
 * both finish a send. The local mailbox names its file after the Message-ID, so there a retry replaces the
 * file and no duplicate can arise. Leases compare wall clocks of different hosts: keep them in sync (NTP)
 * to well under LEASE_MS.
 *
 * Privacy. Once a message is sent, or has failed for good, the row keeps only what the console needs to
 * account for it (purpose, subject, Message-ID, times, attempts, the peer's answer with addresses scrubbed
 * out): the address, bodies (which hold one-time links), headers and attachment list are erased. Logs and
 * terminal lines never name a recipient.
 *
 * Mail a signer's action caused (signer_caused, a confirmation link) keeps no moment: it is queued under the
 * day (outbox.ts), leased to the hour (the end of the next whole hour, so a crash delays it by two hours at
 * most), retried at a random whole hour more than an hour away, deleted once sent or given up rather than
 * kept for the console, and logged only at debug level (its permanent failure excepted), so that at the
 * default level nothing in the log follows a signer's request.
 */

export const LEASE_MS = 2 * 60_000;
/** Retries over about 20 hours (after 1, 2, 4 … 256 min, then 6 h twice): a relay outage, not forever. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 60 * 60_000;
const POLL_MS = 5_000;
/** SIGTERM must end the process within 2 s; the web server closes in parallel. */
const STOP_WAIT_MS = 1_000;

export type OutboxWorkerOptions = {
  db: Kysely<Database>;
  dialect: Dialect;
  transport: MailTransport;
  log: Logger;
  now: () => Date;
  /** Plain terminal lines for the operator (where mail goes; each message stored in the local mailbox). */
  announce?: (line: string) => void;
  /** How many messages it sends at once (each lane claims, sends and records one message at a time). */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  stopWaitMs?: number;
};

export type OutboxWorker = {
  /** Stops polling, waits (bounded) for the messages being sent, then closes the transport. */
  stop(): Promise<void>;
  /** Processes every message due now; resolves to how many it took. */
  drain(): Promise<number>;
  /** Wakes the worker now, e.g. right after a request queued a mail, instead of at the next poll. */
  nudge(): void;
};

/** Exponential backoff with ±20 % jitter so messages deferred together do not all return together. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(LONGEST_RETRY_MS, base * (0.8 + 0.4 * random())));
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, dialect, transport, log, now } = options;
  const pollMs = options.pollMs ?? POLL_MS;
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const stopWaitMs = options.stopWaitMs ?? STOP_WAIT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const say = options.announce ?? ((line: string) => log.info(line));

  let stopping = false;
  let stopped: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Passes run one after another; within a pass, `concurrency` lanes each send one message at a time.
  let chain: Promise<unknown> = Promise.resolve();

  // On SQLite an erased address still sits in older WAL frames until a checkpoint copies the new pages
  // over and the log is cut; secure_delete (db.ts) zeroes it in the pages themselves. A busy database may
  // refuse the truncation; the next erasure tries again.
  const forgetErased = async () => {
    if (dialect !== "sqlite") return;
    await sql`pragma wal_checkpoint(TRUNCATE)`
      .execute(db)
      .catch((error: unknown) => log.warn({ err: error }, "could not checkpoint after erasing a mail"));
  };

  const recordSent = async (row: OutboxRow, result: Accepted) => {
    // Retried briefly because a lost write here means the message is sent again once its lease runs out.
    let letterId: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        letterId = await markSent(db, row, now(), result.response);
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await sleep(150 * 2 ** attempt);
      }
    }
    // The letter's public tracker now shows it delivered.
    if (letterId !== undefined) letterChanged(letterId);
    await forgetErased();
    if (row.signer_caused === 1) {
      log.debug({ outbox: summary(row) }, "mail sent");
      return;
    }
    log.info({ outbox: summary(row), response: result.response }, "mail sent");
    if (result.storedAt !== undefined) {
      say(`Mail "${terminalSafe(row.subject)}" stored in ${result.storedAt} (SMTP_URL not set)`);
    }
  };

  const recordFailure = async (row: OutboxRow, error: MailSendError) => {
    const givingUp = error.kind === "permanent" || row.attempts >= MAX_ATTEMPTS;
    const at = now();
    const recorded = await markFailed(
      db,
      row,
      at,
      error,
      givingUp ? "give_up" : new Date(at.getTime() + retryDelayMs(row.attempts)),
    );
    const context = { outbox: summary(row), smtpCode: error.smtpCode, error: error.response };
    if (!recorded) {
      log.warn(context, "mail outcome not recorded: the lease ran out and another worker took the message");
    } else if (givingUp) {
      await forgetErased();
      log.error(context, "mail failed permanently");
    } else if (row.signer_caused === 1) {
      log.debug(context, "mail deferred; will retry");
    } else {
      log.warn(context, "mail deferred; will retry");
    }
  };

  /** A message the peer has whole but whose answer never reached us: sent, as far as we will ever know. */
  const recordPossiblySent = (row: OutboxRow, why: string) => {
    log.warn({ outbox: summary(row) }, "mail possibly sent; not sending it again");
    return recordSent(row, {
      accepted: true,
      response: `possibly sent: ${why}; not sent again, so it arrived once or not at all`,
    });
  };

  const processClaimed = async (row: OutboxRow) => {
    if (row.handed_over_attempt !== null) {
      // The worker that handed it over died before recording the peer's answer.
      await recordPossiblySent(row, "the process sending it stopped after handing the message over");
      return;
    }
    if (row.attempts > MAX_ATTEMPTS) {
      // Claimed again after its lease ran out with no attempts left: the last try was interrupted, probably by
      // a crash, and a message that keeps taking its worker down must not be tried forever.
      const reason = `gave up after ${MAX_ATTEMPTS} attempts; the last one was interrupted`;
      await recordFailure(row, new MailSendError("permanent", undefined, reason));
      return;
    }
    if (row.to_address === null) {
      await recordFailure(row, new MailSendError("permanent", undefined, "no recipient address"));
      return;
    }
    const renew = setInterval(() => {
      renewLease(db, row, now(), leaseMs).catch((error: unknown) =>
        log.warn({ err: error, outbox: summary(row) }, "could not renew mail lease"),
      );
    }, leaseMs / 4);
    let handedOver = false;
    const handOver = async () => {
      if (!(await markHandedOver(db, row)))
        throw new Error("the lease ran out and another worker took the message");
      handedOver = true;
    };
    let result: Accepted;
    try {
      result = await transport.send(outbound(row, row.to_address), now(), handOver);
    } catch (error) {
      clearInterval(renew);
      const failure =
        error instanceof MailSendError
          ? error
          : new MailSendError("temporary", undefined, scrubAddresses(String(error)));
      if (handedOver && failure.smtpCode === undefined) {
        await recordPossiblySent(
          row,
          `the connection failed after the message was handed over (${failure.response})`,
        );
      } else {
        await recordFailure(row, failure);
      }
      return;
    }
    clearInterval(renew);
    await recordSent(row, result);
  };

  // Each lane's claim is its own atomic UPDATE (SKIP LOCKED on PostgreSQL, the write lock on SQLite), so
  // lanes never claim the same message, and every rule above holds per message whatever the others do.
  const lane = async (): Promise<number> => {
    let processed = 0;
    while (!stopping) {
      const row = await claimNext(db, dialect, now(), leaseMs);
      if (!row) break;
      await processClaimed(row);
      processed++;
    }
    return processed;
  };
  const pass = async (): Promise<number> => {
    // Settled, not all: a pass ends only when every lane has, so the next pass never adds lanes to running ones.
    const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
    const failed = lanes.find((l) => l.status === "rejected");
    if (failed) throw failed.reason;
    return lanes.reduce((sum, l) => sum + (l.status === "fulfilled" ? l.value : 0), 0);
  };

  const drain = (): Promise<number> => {
    const run = chain.then(() => {
      passWaiting = false;
      return pass();
    });
    chain = run.catch(() => {});
    return run;
  };

  const tick = () => {
    drain()
      .catch((error: unknown) =>
        log.error({ err: error }, "outbox worker pass failed; retrying at next poll"),
      )
      .finally(() => schedule(pollMs));
  };

  const schedule = (delay: number) => {
    clearTimeout(timer);
    if (stopping) return;
    timer = setTimeout(tick, delay);
    timer.unref();
  };

  // Woken when this process queues mail; a pass already waiting its turn will find that mail too.
  let passWaiting = false;
  const nudge = () => {
    if (passWaiting) return;
    passWaiting = true;
    schedule(0);
  };
  const stopListening = onMailQueued(nudge);

  say(`Mail goes ${transport.description}`);
  // Mail queued while no worker ran goes out now; started synchronously so it is the first pass in line.
  tick();

  return {
    drain,
    nudge,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        stopListening();
        clearTimeout(timer);
        const finished = await Promise.race([chain.then(() => true), sleep(stopWaitMs).then(() => false)]);
        if (!finished) {
          // Closing the transport below cuts that conversation: the message is sent again, unless it was already
          // handed over, which makes it possibly sent (the rule at the top of this file).
          log.warn("stopping while a mail is still being sent");
        }
        await transport.close();
      })();
      return stopped;
    },
  };
}

function outbound(row: OutboxRow, to: string): OutboundMail {
  return {
    signerCaused: row.signer_caused === 1,
    messageId: row.message_id,
    date: new Date(row.created_at),
    to,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    headers: JSON.parse(row.headers) as Record<string, string>,
    attachments: JSON.parse(row.attachments) as OutboundMail["attachments"],
  };
}

/** What may be logged about a message: nothing that names its recipient or carries its links. */
function summary(row: OutboxRow) {
  return { id: row.id, purpose: row.purpose, attempts: row.attempts, messageId: row.message_id };
}

/** Subjects can come from coordinators' input: no control characters may reach the operator's terminal. */
function terminalSafe(text: string): string {
  return text.replace(/\p{Cc}/gu, " ");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
