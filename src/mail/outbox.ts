import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
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
};

/**
 * Queues a message in the durable outbox. Call it inside the same transaction as the change that causes the
 * mail, so a crash can never leave a change without its mail or a mail without its change. The worker
 * (worker.ts) sends it; the Message-ID is fixed here so every retry carries the same one.
 */
export async function enqueueMail(
  db: Kysely<Database>,
  mail: OutgoingMail,
  now: Date,
  domain: string,
): Promise<number> {
  const row = await db
    .insertInto("outbox_messages")
    .values({
      purpose: mail.purpose,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      headers: JSON.stringify(mail.headers ?? {}),
      attachments: JSON.stringify(mail.attachments ?? []),
      state: "pending",
      attempts: 0,
      next_attempt_at: now.toISOString(),
      message_id: `<${randomBytes(16).toString("hex")}@${domain}>`,
      delivery_id: mail.deliveryId ?? null,
      created_at: now.toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
