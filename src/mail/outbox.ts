import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import { insertUnderRandomId, sequentialId } from "../store/random-ids.ts";
import type { Database } from "../store/schema.ts";

export type OutgoingMail = {
  /** What the message is for, e.g. "password_reset", "setup", "confirmation", "delivery". */
  purpose: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; contentType: string; path: string }[];
  /** Links the message to a delivery record (letters reaching officials). */
  deliveryId?: number;
  /**
   * A mail a signer's action caused (a confirmation link): queued under the day, not the moment, sent with a
   * Date of that day's midnight, leased and retried at coarse times, and deleted once sent (worker.ts).
   */
  signerCaused?: boolean;
  /** The Message-ID's local part, when the caller must find the message again (see mailbox.ts). */
  messageKey?: string;
};

/**
 * Queues a message in the durable outbox. Call it inside the same transaction as the change that causes the
 * mail, so a crash can never leave a change without its mail or a mail without its change. The worker
 * (worker.ts) sends it; the Message-ID is fixed here so every retry carries the same one. A signer's mail
 * gets a random id, so that it never sits between two timed mails in id order (store/random-ids.ts).
 */
export async function enqueueMail(
  db: Kysely<Database>,
  mail: OutgoingMail,
  now: Date,
  domain: string,
): Promise<number> {
  const at = mail.signerCaused ? startOfUtcDay(now) : now.toISOString();
  const values = {
    purpose: mail.purpose,
    to_address: mail.to,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    headers: JSON.stringify(mail.headers ?? {}),
    attachments: JSON.stringify(mail.attachments ?? []),
    state: "pending",
    attempts: 0,
    next_attempt_at: at,
    message_id: `<${mail.messageKey ?? randomBytes(16).toString("hex")}@${domain}>`,
    delivery_id: mail.deliveryId ?? null,
    signer_caused: mail.signerCaused ? 1 : 0,
    created_at: at,
  } as const;
  const row = mail.signerCaused
    ? await insertUnderRandomId((id) =>
        db
          .insertInto("outbox_messages")
          .values({ ...values, id })
          .onConflict((oc) => oc.column("id").doNothing())
          .returning("id")
          .executeTakeFirst(),
      )
    : await db
        .insertInto("outbox_messages")
        .values({ ...values, id: sequentialId(db, "outbox_messages") })
        .returning("id")
        .executeTakeFirstOrThrow();
  return row.id;
}

const queuedListeners = new Set<() => void>();

/**
 * Tells this process's outbox worker that a committed transaction queued mail, so it goes out now rather
 * than at the worker's next poll (seconds a signer would spend waiting for their link). Call it after the
 * commit: a worker woken before would not see the message yet. Other processes find it at their poll.
 */
export function mailQueued(): void {
  for (const listener of queuedListeners) listener();
}

/** Calls `listener` at every mailQueued(); returns the function that stops it. */
export function onMailQueued(listener: () => void): () => void {
  queuedListeners.add(listener);
  return () => queuedListeners.delete(listener);
}
