import { confirmationMessageKey, manageTokenFor } from "../crypto/signer-links.ts";
import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import { countEffect } from "../domain/count-release.ts";
import { CONFIRMATION_DAYS } from "../domain/sign-on-rules.ts";
import type { SignatureState } from "../domain/signature-states.ts";
import { decide, stateAfterConfirmation, statesAllowing } from "../domain/signature-states.ts";
import { eraseLocalMail } from "../mail/mailbox.ts";
import { findLookAlike, findNameHolder } from "../queries/find-name-holder.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signatureBySignerLink } from "../store/signature-rows.ts";
import { recordSignerEvent } from "../store/signer-events.ts";

export type ConfirmSignatureResult =
  /** Confirmed now, or earlier (the link opened again): either way the same receipt. */
  | {
      outcome: "receipt";
      signatureId: number;
      letterId: number;
      state: SignatureState;
      manageToken: string;
      changed: boolean;
      /** Listed changes show at once; undisclosed ones wait for the release. */
      listed?: boolean;
    }
  /** The link is older than a week and the endorsement was never confirmed: offer a new link. */
  | { outcome: "expired"; signatureId: number }
  /** A listed name someone else confirmed first (duplicates are only settled at confirmation). */
  | { outcome: "name_taken"; signatureId: number };

/**
 * Confirms an endorsement from the link in its mail. Idempotent: the link keeps showing the receipt, with
 * the same private manage link, however often it is opened. A listed endorsement on a letter without
 * moderation is listed at once; everything else waits for a coordinator (signature-states.ts).
 *
 * Duplicate listed names are settled here rather than only at signing: whoever confirms first holds the
 * name, so someone typing another organisation's name with their own address cannot block it for a week.
 *
 * Once confirmed, the local mailbox's copy of the confirmation mail (its address, its link) is erased.
 */
export async function confirmSignature(
  deps: Pick<CommandDeps, "store" | "secret" | "config">,
  input: { slug: string; token: string },
  now: Date,
): Promise<ConfirmSignatureResult> {
  const at = now.toISOString();
  // What the confirmation stores is kept to the day (domain/coarse-time.ts); `at` only checks the expiry.
  const day = startOfUtcDay(now);
  // The confirmation mail was stored in the local mailbox (if at all) within the life of its link.
  let mailedSince = new Date(now.getTime() - (CONFIRMATION_DAYS + 1) * 24 * 60 * 60 * 1000);
  const result = await deps.store.db.transaction().execute(async (trx): Promise<ConfirmSignatureResult> => {
    const signature = await signatureBySignerLink(trx, "signatures.confirm_token_hash", input)
      .select([
        "signatures.match_key",
        "signatures.skeleton",
        "signatures.confirm_expires_at",
        "signatures.counted",
        "signatures.created_at",
        "letters.moderation",
        "letters.release_every_hours",
      ])
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    const created = new Date(signature.created_at);
    if (created > mailedSince) mailedSince = created;
    const manageToken = manageTokenFor(deps.secret, input.token);

    const decision = decide(signature.state, "confirm");
    if (decision.outcome !== "change") {
      // Confirmed before, or withdrawn/rejected since: the receipt shows the state it is in now.
      return {
        outcome: "receipt",
        signatureId: signature.id,
        letterId: signature.letter_id,
        state: signature.state,
        manageToken,
        changed: false,
      };
    }
    if (signature.confirm_expires_at !== null && signature.confirm_expires_at <= at) {
      return { outcome: "expired", signatureId: signature.id };
    }
    if (signature.match_key !== null) {
      const holder = await findNameHolder(trx, {
        letterId: signature.letter_id,
        matchKey: signature.match_key,
        exceptId: signature.id,
      });
      if (holder) return { outcome: "name_taken", signatureId: signature.id };
    }

    // A name that only looks like one the letter holds (or is reviewing) waits for a coordinator, who sees
    // the two side by side under Duplicates, even on a letter that lists endorsements without review.
    const lookAlike =
      signature.skeleton !== null &&
      (await findLookAlike(trx, {
        letterId: signature.letter_id,
        skeleton: signature.skeleton,
        exceptId: signature.id,
      })) !== undefined;
    const to = lookAlike
      ? "confirmed"
      : stateAfterConfirmation(signature.visibility, signature.moderation === 1);
    const updated = await trx
      .updateTable("signatures")
      .set({
        state: to,
        confirmed_at: day,
        ...(to === "approved" ? { approved_at: day } : {}),
        // The release is scheduled from the real moment; only the stored times are cut to the day.
        ...countEffect({
          by: "signer",
          visibility: signature.visibility,
          counted: signature.counted,
          to,
          releaseEveryHours: signature.release_every_hours,
          now,
        }),
        manage_token_hash: sha256(manageToken),
        updated_at: day,
      })
      .where("id", "=", signature.id)
      .where("state", "in", statesAllowing("confirm"))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      // Another request confirmed it a moment ago: show the receipt as it now stands.
      const current = await trx
        .selectFrom("signatures")
        .select("state")
        .where("id", "=", signature.id)
        .executeTakeFirstOrThrow();
      return {
        outcome: "receipt",
        signatureId: signature.id,
        letterId: signature.letter_id,
        state: current.state,
        manageToken,
        changed: false,
      };
    }
    await recordSignerEvent(
      trx,
      signature,
      {
        action: "signature.confirm",
        detail: { visibility: signature.visibility, state: to, ...(lookAlike ? { held: "look_alike" } : {}) },
      },
      now,
    );
    return {
      outcome: "receipt",
      signatureId: signature.id,
      letterId: signature.letter_id,
      state: to,
      manageToken,
      changed: true,
      listed: signature.visibility === "listed",
    };
  });
  if (result.outcome === "receipt") {
    const messageId = `<${confirmationMessageKey(input.token)}@${new URL(deps.config.baseUrl).hostname}>`;
    await eraseLocalMail(deps.config.dataDir, messageId, now, mailedSince);
  }
  // Only an endorsement listed at confirmation changes what the public sees at once (an undisclosed one
  // that counted without review would wait for the release).
  if (result.outcome === "receipt" && result.changed && result.state === "approved" && result.listed)
    letterChanged(result.letterId);
  return result;
}
