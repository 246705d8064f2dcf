import { z } from "zod";
import { sha256 } from "../crypto/tokens.ts";
import { AppError } from "../domain/app-error.ts";
import { displayName, matchKey } from "../domain/names.ts";
import { FIELD_LIMITS } from "../domain/sign-on-rules.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { FieldProblems } from "./sign-letter.ts";

const correction = z.object({
  name: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(FIELD_LIMITS.name, "field.tooLong"),
  name_alt: z
    .string({ error: "sign.invalidValue" })
    .trim()
    .max(FIELD_LIMITS.name_alt, "field.tooLong")
    .optional()
    .transform((v) => v || undefined),
});

export type CorrectListedNameResult =
  | { outcome: "corrected"; letterId: number; changed: boolean }
  | { outcome: "invalid"; problems: FieldProblems };

/**
 * A listed signer fixes a typo in their public name through the manage link. Zawgyi is converted like at
 * signing, and the new name must not be one another endorsement of the letter already holds. Undisclosed
 * endorsements have no public name, so there is nothing here to correct (and nothing to learn by trying).
 */
export async function correctListedName(
  deps: Pick<CommandDeps, "store">,
  input: { slug: string; manageToken: string; form: unknown },
  now: Date,
): Promise<CorrectListedNameResult> {
  const parsed = correction.safeParse(input.form ?? {});
  if (!parsed.success) {
    const problems: FieldProblems = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as "name" | "name_alt";
      const max = (issue as { maximum?: unknown }).maximum;
      problems[field] ??= {
        key:
          issue.message === "field.tooLong" || issue.message === "field.required"
            ? issue.message
            : "sign.invalidValue",
        ...(typeof max === "number" ? { params: { max } } : {}),
      };
    }
    return { outcome: "invalid", problems };
  }
  const name = displayName(parsed.data.name);
  const nameAlt = parsed.data.name_alt === undefined ? null : displayName(parsed.data.name_alt);
  const key = matchKey(name);
  const at = now.toISOString();

  const result = await deps.store.db.transaction().execute(async (trx): Promise<CorrectListedNameResult> => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select([
        "signatures.id",
        "signatures.state",
        "signatures.visibility",
        "signatures.display_name",
        "signatures.display_name_alt",
        "letters.id as letter_id",
        "letters.campaign_id",
      ])
      .where("signatures.manage_token_hash", "=", sha256(input.manageToken))
      .where("letters.slug", "=", input.slug)
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    if (signature.visibility !== "listed" || !NAME_HOLDING_STATES.includes(signature.state)) {
      throw new AppError("invalid_state");
    }
    if (signature.display_name === name && signature.display_name_alt === nameAlt) {
      return { outcome: "corrected", letterId: signature.letter_id, changed: false };
    }
    const holder = await findNameHolder(trx, {
      letterId: signature.letter_id,
      matchKey: key,
      exceptId: signature.id,
    });
    if (holder) return { outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } };

    await trx
      .updateTable("signatures")
      .set({ display_name: name, display_name_alt: nameAlt, match_key: key, updated_at: at })
      .where("id", "=", signature.id)
      .execute();
    // The old and new names are public (listed), but the audit log needs only that it happened.
    await recordAudit(
      trx,
      {
        actor: "signer",
        action: "signature.correct_name",
        subjectType: "signature",
        subjectId: signature.id,
        campaignId: signature.campaign_id,
        letterId: signature.letter_id,
      },
      now,
    );
    return { outcome: "corrected", letterId: signature.letter_id, changed: true };
  });
  if (result.outcome === "corrected" && result.changed) letterChanged(result.letterId);
  return result;
}
