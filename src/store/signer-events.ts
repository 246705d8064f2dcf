import type { Kysely } from "kysely";
import { utcDay } from "../domain/coarse-time.ts";
import { insertUnderRandomId } from "./random-ids.ts";
import type { Database } from "./schema.ts";
import type { SignatureOfLetter } from "./signature-rows.ts";

export type SignerEvent = {
  /** verb.noun style, e.g. "signature.submit", "signature.withdraw". */
  action: string;
  /** Plain facts only: never a secret, a token, or anything that identifies an undisclosed signatory. */
  detail?: Record<string, string | number | boolean | null>;
};

/**
 * Records what a signer did, by UTC day and under a random id, apart from the coordinators' timed audit log
 * (store/audit.ts): neither its time nor its place among other entries gives away the signer's moment.
 * Call it inside the command's transaction, like recordAudit.
 */
export async function recordSignerEvent(
  db: Kysely<Database>,
  signature: SignatureOfLetter,
  event: SignerEvent,
  now: Date,
): Promise<void> {
  await insertUnderRandomId((id) =>
    db
      .insertInto("signer_events")
      .values({
        id,
        day: utcDay(now),
        action: event.action,
        signature_id: signature.id,
        campaign_id: signature.campaign_id,
        letter_id: signature.letter_id,
        detail: JSON.stringify(event.detail ?? {}),
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst(),
  );
}
