import { manageTokenFor } from "../crypto/signature-tokens.ts";
import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import type { SignatureState } from "../domain/signature-states.ts";
import { decide, stateAfterConfirmation, statesAllowing } from "../domain/signature-states.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";

export type ConfirmSignatureResult =
  /** Confirmed now, or earlier (the link opened again): either way the same receipt. */
  | {
      outcome: "receipt";
      signatureId: number;
      letterId: number;
      state: SignatureState;
      manageToken: string;
      changed: boolean;
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
 */
export async function confirmSignature(
  deps: Pick<CommandDeps, "store" | "secret">,
  input: { slug: string; token: string },
  now: Date,
): Promise<ConfirmSignatureResult> {
  const at = now.toISOString();
  const result = await deps.store.db.transaction().execute(async (trx): Promise<ConfirmSignatureResult> => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select([
        "signatures.id",
        "signatures.state",
        "signatures.visibility",
        "signatures.match_key",
        "signatures.confirm_expires_at",
        "letters.id as letter_id",
        "letters.campaign_id",
        "letters.moderation",
      ])
      .where("signatures.confirm_token_hash", "=", sha256(input.token))
      .where("letters.slug", "=", input.slug)
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
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

    const to = stateAfterConfirmation(signature.visibility, signature.moderation === 1);
    const updated = await trx
      .updateTable("signatures")
      .set({
        state: to,
        confirmed_at: at,
        ...(to === "approved" ? { approved_at: at } : {}),
        manage_token_hash: sha256(manageToken),
        updated_at: at,
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
    await recordAudit(
      trx,
      {
        actor: "signer",
        action: "signature.confirm",
        subjectType: "signature",
        subjectId: signature.id,
        campaignId: signature.campaign_id,
        letterId: signature.letter_id,
        detail: { visibility: signature.visibility, state: to },
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
    };
  });
  // Only an endorsement listed at confirmation changes what the public sees.
  if (result.outcome === "receipt" && result.changed && result.state === "approved")
    letterChanged(result.letterId);
  return result;
}
