import type { DeliveryMethod, DeliveryState } from "../../domain/recipients.ts";
import type { Flag, Id, Time } from "./columns.ts";

/*
 * Getting the letter to its recipients: who they are, how it reached them, what they answered, the update
 * mails, and the outbox every mail goes through.
 */

export interface RecipientsTable {
  id: Id;
  letter_id: number;
  name: string;
  office: string | null;
  country: string | null;
  addressee_group: string | null;
  /** Which of the letter's addressee groups (1 for the first): two groups may share a heading. */
  addressee_group_key: number | null;
  /** JSON array of email addresses. */
  emails: string;
  postal_address: string | null;
  notes: string | null;
  position: number;
  created_at: Time;
  updated_at: Time;
}

export interface DeliveriesTable {
  id: Id;
  letter_id: number;
  recipient_id: number;
  method: DeliveryMethod;
  state: DeliveryState;
  outbox_message_id: number | null;
  version_id: number | null;
  pdf_sha256: string | null;
  delivered_at: Time | null;
  note: string | null;
  last_response: string | null;
  created_at: Time;
  updated_at: Time;
  created_by: number | null;
}

export interface ResponsesTable {
  id: Id;
  letter_id: number;
  recipient_id: number;
  received_at: string;
  summary: string;
  document_upload_id: number | null;
  is_public: Flag;
  created_at: Time;
  created_by: number | null;
}

export interface StancesTable {
  id: Id;
  campaign_id: number;
  label: string;
  /** JSON object language → label. */
  translations: string;
  created_at: Time;
}

export interface RecipientStancesTable {
  recipient_id: number;
  stance_id: number;
  created_at: Time;
}

export interface LetterUpdatesTable {
  id: Id;
  letter_id: number;
  language: string;
  title: string;
  body: string;
  published_at: Time;
  mailed_at: Time | null;
  created_by: number | null;
}

export type OutboxState = "pending" | "sending" | "sent" | "failed";

export interface OutboxMessagesTable {
  id: Id;
  purpose: string;
  /** Erased (null) once the message is sent or has permanently failed. */
  to_address: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON object of extra headers (e.g. List-Unsubscribe). */
  headers: string;
  /** JSON array of {filename, contentType, path}. */
  attachments: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: Time;
  lease_until: Time | null;
  last_error: string | null;
  message_id: string;
  delivery_id: number | null;
  /** 1 for a mail a signer's action queued: coarse times throughout, and deleted once sent or given up. */
  signer_caused: Flag;
  created_at: Time;
  sent_at: Time | null;
  /**
   * The attempt (its `attempts` number) that handed the message to the mail server whole but for its last
   * bytes; null until then and after a refusal. Left set by a worker that died: the message may have
   * arrived, and is not sent again (mail/worker.ts).
   */
  handed_over_attempt: number | null;
}
