import type { Kysely } from "kysely";
import { type Actor, auditActor } from "../policies/actor.ts";
import type { Database } from "./schema.ts";
import type { SignatureOfLetter } from "./signature-rows.ts";

export type AuditEntry = {
  actor: { userId: number; label: string } | "system" | "signer" | "cli";
  /** verb.noun style, e.g. "user.login", "user.login_failed", "letter.publish". */
  action: string;
  subjectType: string;
  subjectId?: number | null;
  campaignId?: number | null;
  letterId?: number | null;
  /** Plain facts only: never a secret, a token, or anything that identifies an undisclosed signatory. */
  detail?: Record<string, string | number | boolean | null>;
};

/** Appends an audit entry; call it inside the command's transaction so the entry and the change commit together. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, now: Date): Promise<void> {
  const actor = typeof entry.actor === "string" ? { userId: null, label: entry.actor } : entry.actor;
  await db
    .insertInto("audit_entries")
    .values({
      at: now.toISOString(),
      actor_user_id: actor.userId,
      actor_label: actor.label,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      campaign_id: entry.campaignId ?? null,
      letter_id: entry.letterId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** An entry about one signature (a coordinator's review, correction or merge), naming its letter and campaign. */
export async function auditSignature(
  db: Kysely<Database>,
  actor: Actor,
  signature: SignatureOfLetter,
  change: Pick<AuditEntry, "action" | "detail">,
  now: Date,
): Promise<void> {
  await recordAudit(
    db,
    {
      actor: auditActor(actor),
      ...change,
      subjectType: "signature",
      subjectId: signature.id,
      campaignId: signature.campaign_id,
      letterId: signature.letter_id,
    },
    now,
  );
}

/** An entry about something of a letter (a recipient, a delivery, a response), naming the letter and its campaign. */
export async function auditOnLetter(
  db: Kysely<Database>,
  actor: Actor,
  letter: { id: number; campaign_id: number },
  entry: Pick<AuditEntry, "action" | "subjectType" | "subjectId" | "detail">,
  now: Date,
): Promise<void> {
  await recordAudit(
    db,
    { actor: auditActor(actor), ...entry, campaignId: letter.campaign_id, letterId: letter.id },
    now,
  );
}
