import type { Kysely, Selectable, Transaction } from "kysely";
import { hoursAfterStartOfHour } from "../domain/coarse-time.ts";
import type { DeliveryState } from "../domain/recipients.ts";
import type { Dialect } from "../store/db.ts";
import type { OutboxMessagesTable } from "../store/schema/delivery.ts";
import type { Database } from "../store/schema.ts";
import type { MailSendError } from "./transports.ts";

/*
 * What the outbox worker (worker.ts, which says why it works this way) writes to the outbox table: its
 * claim on a message, the lease it renews while sending, and the outcome. A claim sets attempts + 1, and
 * every later write is fenced by that number, so a worker whose lease ran out cannot overwrite the work of
 * the one that took the message over. A sent or given-up message keeps no address, body or headers; a
 * signer's mail keeps nothing at all once done, and its times stay on whole hours.
 */

export type OutboxRow = Selectable<OutboxMessagesTable>;

const ERASED = { to_address: null, text_body: "", html_body: null, headers: "{}", attachments: "[]" };

/**
 * Claims the oldest message due at `at` (pending, or sending under a lease that ran out) in one atomic
 * UPDATE; on PostgreSQL the row is taken FOR UPDATE SKIP LOCKED, so concurrent workers claim different
 * messages without waiting on each other.
 */
export function claimNext(
  db: Kysely<Database>,
  dialect: Dialect,
  at: Date,
  leaseMs: number,
): Promise<OutboxRow | undefined> {
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
      lease_until: eb
        .case()
        .when("signer_caused", "=", 1)
        .then(signerLease(at))
        .else(new Date(at.getTime() + leaseMs).toISOString())
        .end(),
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "=", due)
    .returningAll()
    .executeTakeFirst();
}

/** An update of the message only while this worker still holds the claim: the row has the attempt number it set. */
function stillOurs(db: Kysely<Database>, row: OutboxRow) {
  return db
    .updateTable("outbox_messages")
    .where("id", "=", row.id)
    .where("state", "=", "sending")
    .where("attempts", "=", row.attempts);
}

/** Extends the claim while a slow send runs, so the message never looks abandoned. */
export async function renewLease(
  db: Kysely<Database>,
  row: OutboxRow,
  at: Date,
  leaseMs: number,
): Promise<void> {
  await stillOurs(db, row)
    .set({
      lease_until: row.signer_caused === 1 ? signerLease(at) : new Date(at.getTime() + leaseMs).toISOString(),
    })
    .execute();
}

/**
 * Records that this attempt hands the message over (its last bytes go next: smtp-transport.ts). False when
 * the lease ran out and another worker took the message: then this one must not finish sending it.
 */
export async function markHandedOver(db: Kysely<Database>, row: OutboxRow): Promise<boolean> {
  const { numUpdatedRows } = await stillOurs(db, row)
    .set({ handed_over_attempt: row.attempts })
    .executeTakeFirstOrThrow();
  return numUpdatedRows > 0n;
}

/**
 * Records that the peer accepted the message. Not fenced by attempts: if the peer accepted, "sent" is the
 * truth even when a lease ran out meanwhile, and recording it stops any further copy. Returns the letter
 * whose public tracker now shows it delivered, if the message delivered one.
 */
export function markSent(
  db: Kysely<Database>,
  row: OutboxRow,
  now: Date,
  response: string,
): Promise<number | undefined> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    if (row.signer_caused === 1) {
      await trx.deleteFrom("outbox_messages").where("id", "=", row.id).execute();
      return undefined;
    }
    const { numUpdatedRows } = await trx
      .updateTable("outbox_messages")
      .set({ state: "sent", sent_at: at, lease_until: null, ...ERASED })
      .where("id", "=", row.id)
      .where("state", "<>", "sent")
      .executeTakeFirstOrThrow();
    if (numUpdatedRows === 0n) return undefined;
    return recordDelivery(trx, row, at, { state: "sent", delivered_at: at, last_response: response });
  });
}

/**
 * Records a failed attempt: the message is given up (`"give_up"`) or tried again from `retry`. The delivery
 * row (a letter sent to an official) changes in the same transaction as the outbox row, so the console can
 * never show a delivery as queued while its message has failed, or the reverse. Returns false when nothing
 * was recorded because the lease ran out and another worker took the message.
 */
export function markFailed(
  db: Kysely<Database>,
  row: OutboxRow,
  at: Date,
  error: MailSendError,
  retry: Date | "give_up",
): Promise<boolean> {
  const givingUp = retry === "give_up";
  return db.transaction().execute(async (trx) => {
    if (givingUp && row.signer_caused === 1) {
      const { numDeletedRows } = await trx
        .deleteFrom("outbox_messages")
        .where("id", "=", row.id)
        .where("state", "=", "sending")
        .where("attempts", "=", row.attempts)
        .executeTakeFirstOrThrow();
      return numDeletedRows > 0n;
    }
    const update = givingUp
      ? stillOurs(trx, row).set({ state: "failed", last_error: error.response, lease_until: null, ...ERASED })
      : stillOurs(trx, row).set({
          state: "pending",
          last_error: error.response,
          lease_until: null,
          handed_over_attempt: null,
          next_attempt_at: row.signer_caused === 1 ? signerRetry(retry) : retry.toISOString(),
        });
    const { numUpdatedRows } = await update.executeTakeFirstOrThrow();
    if (numUpdatedRows === 0n) return false;
    // A 5xx is the peer refusing the message (bounced); giving up after retries or an interruption is failed.
    const bounced = error.kind === "permanent" && error.smtpCode !== undefined && error.smtpCode >= 500;
    await recordDelivery(trx, row, at.toISOString(), {
      state: givingUp ? (bounced ? "bounced" : "failed") : "deferred",
      last_response: error.response,
    });
    return true;
  });
}

/** A signer mail's lease: the end of the next whole hour, always more than an hour away. */
function signerLease(now: Date): string {
  return hoursAfterStartOfHour(now, 2);
}

/**
 * A signer mail's next try: at a whole hour chosen at random among the three that start more than an hour
 * after its backoff delay has passed, so it is never within the hour of the signer's moment.
 */
function signerRetry(due: Date, random: () => number = Math.random): string {
  return hoursAfterStartOfHour(due, 2 + Math.floor(random() * 3));
}

/**
 * Mirrors a delivery mail's outcome on its delivery row (sent with the peer's answer, deferred, bounced,
 * failed); returns the letter whose public tracker changed when the letter reached its recipient.
 */
async function recordDelivery(
  trx: Transaction<Database>,
  row: OutboxRow,
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
