import { sha256 } from "../crypto/tokens.ts";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import type { CommandDeps } from "../store/deps.ts";
import { recordSignerEvent } from "../store/signer-events.ts";

/*
 * One-click unsubscribe (RFC 8058): the token in an update mail's List-Unsubscribe link is the only
 * authority needed, no session and no CSRF token (the mail client posts it without either). The updates
 * address is erased; the token's hash stays, so a second click (or the mail client's retry) answers
 * "already unsubscribed" instead of "unknown link".
 */

export type UnsubscribeResult =
  | { outcome: "unsubscribed" | "already"; letterId: number }
  | { outcome: "invalid" };

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export async function unsubscribeUpdates(
  deps: Pick<CommandDeps, "store">,
  input: { token: unknown; letterSlug: string },
  now: Date,
): Promise<UnsubscribeResult> {
  if (typeof input.token !== "string" || !TOKEN.test(input.token)) return { outcome: "invalid" };
  const tokenHash = sha256(input.token);
  return deps.store.db.transaction().execute(async (trx) => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select(["signatures.id", "signatures.updates_email", "letters.id as letter_id", "letters.campaign_id"])
      .where("signatures.updates_token_hash", "=", tokenHash)
      .where("letters.slug", "=", input.letterSlug)
      .executeTakeFirst();
    if (!signature) return { outcome: "invalid" };
    if (signature.updates_email === null) return { outcome: "already", letterId: signature.letter_id };
    await trx
      .updateTable("signatures")
      .set({ updates_email: null, updated_at: startOfUtcDay(now) })
      .where("id", "=", signature.id)
      .execute();
    await recordSignerEvent(trx, signature, { action: "signature.unsubscribe_updates" }, now);
    return { outcome: "unsubscribed", letterId: signature.letter_id };
  });
}
