import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { DeliveryState } from "../domain/recipients.ts";
import type { Logger } from "../log.ts";
import type { Dialect } from "../store/db.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database, OutboxMessagesTable } from "../store/schema.ts";
import {
  type Accepted,
  MailSendError,
  type MailTransport,
  type OutboundMail,
  scrubAddresses,
} from "./transports.ts";

/*
 * The outbox worker: sends what enqueueMail (outbox.ts) queued, from any number of processes on one database.
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
 * Never sending twice. The only window for a duplicate is between the moment the peer commits the message
 * (just before it answers 250 to the final ".") and the moment our UPDATE to "sent" commits: normally one
 * network round trip plus one local commit. If the process dies in that window (kill -9, power loss, or a
 * SIGTERM whose 1 s grace ran out mid-send), if the 250 is lost on the wire (we see a dropped connection,
 * not an answer), or if the database stays unreachable while we try to record "sent", the lease expires and
 * the message is sent again. SMTP itself cannot close this window (RFC 5321 §6.1 accepts duplicates over
 * loss). What limits the harm: every attempt carries the Message-ID fixed at enqueue (and the same Date), so
 * receiving systems and people can recognise the copy as the same message; the lease keeps a live worker's
 * message from being taken over however slow the peer is; and the local mailbox names its file after the
 * Message-ID, so there a retry replaces the file and no duplicate can arise. Leases compare wall clocks of
 * different hosts: keep them in sync (NTP) to well under LEASE_MS.
 *
 * Privacy. Once a message is sent, or has failed for good, the row keeps only what the console needs to
 * account for it (purpose, subject, Message-ID, times, attempts, the peer's answer with addresses scrubbed
 * out): the address, bodies (which hold one-time links), headers and attachment list are erased. Logs and
 * terminal lines never name a recipient.
 */

export const LEASE_MS = 2 * 60_000;
/** Retries over about 20 hours (after 1, 2, 4 … 256 min, then 6 h twice): a relay outage, not forever. */
export const MAX_ATTEMPTS = 12;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 60 * 60_000;
const POLL_MS = 5_000;
/** SIGTERM must end the process within 2 s; the web server closes in parallel. */
const STOP_WAIT_MS = 1_000;

type Row = Selectable<OutboxMessagesTable>;

export type OutboxWorkerOptions = {
  db: Kysely<Database>;
  dialect: Dialect;
  transport: MailTransport;
  log: Logger;
  now: () => Date;
  /** Plain terminal lines for the operator (where mail goes; each message stored in the local mailbox). */
  announce?: (line: string) => void;
  pollMs?: number;
  leaseMs?: number;
  stopWaitMs?: number;
};

export type OutboxWorker = {
  /** Stops polling, waits (bounded) for the message being sent, then closes the transport. */
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
  const say = options.announce ?? ((line: string) => log.info(line));

  let stopping = false;
  let stopped: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Passes run one after another, so one worker never claims a second message while it sends the first.
  let chain: Promise<unknown> = Promise.resolve();

  const claim = async (): Promise<Row | undefined> => {
    const at = now();
    const iso = at.toISOString();
    const due = db
      .selectFrom("outbox_messages")
      .select("id")
      .where("next_attempt_at", "<=", iso)
      .where((eb) =>
        eb.or([
          eb("state", "=", "pending"),
          eb.and([eb("state", "=", "sending"), eb("lease_until", "<=", iso)]),
        ]),
      )
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(1)
      .$if(dialect === "postgres", (qb) => qb.forUpdate().skipLocked());
    return db
      .updateTable("outbox_messages")
      .set((eb) => ({
        state: "sending",
        lease_until: new Date(at.getTime() + leaseMs).toISOString(),
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", due)
      .returningAll()
      .executeTakeFirst();
  };

  /** Only while this worker still holds the claim: the row has the attempt number it set. */
  const stillOurs = (row: Row, on: Kysely<Database> = db) =>
    on
      .updateTable("outbox_messages")
      .where("id", "=", row.id)
      .where("state", "=", "sending")
      .where("attempts", "=", row.attempts);

  const erased = { to_address: null, text_body: "", html_body: null, headers: "{}", attachments: "[]" };

  // On SQLite an erased address still sits in older WAL frames until a checkpoint copies the new pages
  // over and the log is cut; secure_delete (db.ts) zeroes it in the pages themselves. A busy database may
  // refuse the truncation; the next erasure tries again.
  const forgetErased = async () => {
    if (dialect !== "sqlite") return;
    await sql`pragma wal_checkpoint(TRUNCATE)`
      .execute(db)
      .catch((error: unknown) => log.warn({ err: error }, "could not checkpoint after erasing a mail"));
  };

  const recordSent = async (row: Row, result: Accepted) => {
    // Not fenced by attempts: if the peer accepted, "sent" is the truth even when a lease ran out meanwhile,
    // and recording it stops any further copy. Retried briefly because a lost write here means a duplicate.
    let letterId: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const at = now().toISOString();
        letterId = await db.transaction().execute(async (trx) => {
          const { numUpdatedRows } = await trx
            .updateTable("outbox_messages")
            .set({ state: "sent", sent_at: at, lease_until: null, ...erased })
            .where("id", "=", row.id)
            .where("state", "<>", "sent")
            .executeTakeFirstOrThrow();
          if (numUpdatedRows === 0n) return undefined;
          return recordDelivery(trx, row, at, {
            state: "sent",
            delivered_at: at,
            last_response: result.response,
          });
        });
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await sleep(150 * 2 ** attempt);
      }
    }
    // The letter's public tracker now shows it delivered.
    if (letterId !== undefined) letterChanged(letterId);
    await forgetErased();
    log.info({ outbox: summary(row), response: result.response }, "mail sent");
    if (result.storedAt !== undefined) {
      say(`Mail "${terminalSafe(row.subject)}" stored in ${result.storedAt} (SMTP_URL not set)`);
    }
  };

  const recordFailure = async (row: Row, error: MailSendError) => {
    const givingUp = error.kind === "permanent" || row.attempts >= MAX_ATTEMPTS;
    const at = now();
    // The delivery row (a letter sent to an official) changes in the same transaction as the outbox row, so
    // the console can never show a delivery as queued while its message has failed, or the reverse.
    const numUpdatedRows = await db.transaction().execute(async (trx) => {
      const update = givingUp
        ? stillOurs(row, trx).set({
            state: "failed",
            last_error: error.response,
            lease_until: null,
            ...erased,
          })
        : stillOurs(row, trx).set({
            state: "pending",
            last_error: error.response,
            lease_until: null,
            next_attempt_at: new Date(at.getTime() + retryDelayMs(row.attempts)).toISOString(),
          });
      const { numUpdatedRows } = await update.executeTakeFirstOrThrow();
      if (numUpdatedRows === 0n) return numUpdatedRows;
      // A 5xx is the peer refusing the message (bounced); giving up after retries or an interruption is failed.
      const bounced = error.kind === "permanent" && error.smtpCode !== undefined && error.smtpCode >= 500;
      await recordDelivery(trx, row, at.toISOString(), {
        state: givingUp ? (bounced ? "bounced" : "failed") : "deferred",
        last_response: error.response,
      });
      return numUpdatedRows;
    });
    const context = { outbox: summary(row), smtpCode: error.smtpCode, error: error.response };
    if (numUpdatedRows === 0n) {
      log.warn(context, "mail outcome not recorded: the lease ran out and another worker took the message");
    } else if (givingUp) {
      await forgetErased();
      log.error(context, "mail failed permanently");
    } else {
      log.warn(context, "mail deferred; will retry");
    }
  };

  const processClaimed = async (row: Row) => {
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
      stillOurs(row)
        .set({ lease_until: new Date(now().getTime() + leaseMs).toISOString() })
        .execute()
        .catch((error: unknown) =>
          log.warn({ err: error, outbox: summary(row) }, "could not renew mail lease"),
        );
    }, leaseMs / 4);
    let result: Accepted;
    try {
      result = await transport.send(outbound(row, row.to_address));
    } catch (error) {
      clearInterval(renew);
      await recordFailure(
        row,
        error instanceof MailSendError
          ? error
          : new MailSendError("temporary", undefined, scrubAddresses(String(error))),
      );
      return;
    }
    clearInterval(renew);
    await recordSent(row, result);
  };

  const pass = async (): Promise<number> => {
    let processed = 0;
    while (!stopping) {
      const row = await claim();
      if (!row) break;
      await processClaimed(row);
      processed++;
    }
    return processed;
  };

  const drain = (): Promise<number> => {
    const run = chain.then(pass);
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

  say(`Mail goes ${transport.description}`);
  // Mail queued while no worker ran goes out now; started synchronously so it is the first pass in line.
  tick();

  return {
    drain,
    nudge: () => schedule(0),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(timer);
        const finished = await Promise.race([chain.then(() => true), sleep(stopWaitMs).then(() => false)]);
        if (!finished) {
          // Closing the transport below cuts that conversation: the message is retried, and arrives twice if the
          // peer had already taken it (the window described at the top of this file).
          log.warn("stopping while a mail is still being sent: it will be retried");
        }
        await transport.close();
      })();
      return stopped;
    },
  };
}

/**
 * Mirrors a delivery mail's outcome on its delivery row (sent with the peer's answer, deferred, bounced,
 * failed); returns the letter whose public tracker changed when the letter reached its recipient.
 */
async function recordDelivery(
  trx: Transaction<Database>,
  row: Row,
  at: string,
  outcome: { state: DeliveryState; delivered_at?: string; last_response: string },
): Promise<number | undefined> {
  if (row.delivery_id === null) return undefined;
  const delivery = await trx
    .updateTable("deliveries")
    .set({ ...outcome, updated_at: at })
    .where("id", "=", row.delivery_id)
    .returning("letter_id")
    .executeTakeFirst();
  return outcome.state === "sent" ? delivery?.letter_id : undefined;
}

function outbound(row: Row, to: string): OutboundMail {
  return {
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
function summary(row: Row) {
  return { id: row.id, purpose: row.purpose, attempts: row.attempts, messageId: row.message_id };
}

/** Subjects can come from coordinators' input: no control characters may reach the operator's terminal. */
function terminalSafe(text: string): string {
  return text.replace(/\p{Cc}/gu, " ");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
