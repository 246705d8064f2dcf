import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import { isCountryCode } from "../domain/countries.ts";
import { displayName, matchKey } from "../domain/names.ts";
import { FIELD_LIMITS } from "../domain/sign-on-rules.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import type { MessageKey } from "../i18n/index.ts";
import { type Actor, auditActor, authorise } from "../policies/actor.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";

export const correctionSchema = z.object({
  name: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(FIELD_LIMITS.name, "field.tooLong"),
  category: z
    .string()
    .trim()
    .max(FIELD_LIMITS.category, "field.tooLong")
    .optional()
    .transform((v) => v || null),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .optional()
    .transform((v) => v || null)
    .refine((v) => v === null || isCountryCode(v), "sign.invalidChoice"),
});

export type CorrectionInput = z.input<typeof correctionSchema>;

export type CorrectEndorsementResult =
  | { outcome: "corrected"; changed: string[] }
  | { outcome: "invalid"; problems: Partial<Record<"name" | "category" | "country", MessageKey>> };

/**
 * A coordinator fixes a listed endorsement's public facts: the spelling of its name (Zawgyi converted, as at
 * signing), its category or its country. The new name must not be one that another endorsement of the
 * letter already holds (same match key): that is a duplicate to merge, not a correction. The audit entry
 * records which fields changed, not their values. Undisclosed endorsements have no public facts; their
 * sealed identity can only be changed by whoever holds the key, so they are refused.
 */
export async function correctEndorsement(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; letterId: number; signatureId: number; form: unknown },
  now: Date,
): Promise<CorrectEndorsementResult> {
  const parsed = correctionSchema.safeParse(input.form ?? {});
  if (!parsed.success) {
    const problems: Partial<Record<"name" | "category" | "country", MessageKey>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as "name" | "category" | "country";
      problems[field] ??= issue.message as MessageKey;
    }
    return { outcome: "invalid", problems };
  }
  const name = displayName(parsed.data.name);
  const key = matchKey(name);

  const result = await deps.store.db.transaction().execute(async (trx): Promise<CorrectEndorsementResult> => {
    const signature = await trx
      .selectFrom("signatures")
      .innerJoin("letters", "letters.id", "signatures.letter_id")
      .select([
        "signatures.id",
        "signatures.state",
        "signatures.visibility",
        "signatures.display_name",
        "signatures.category",
        "signatures.country",
        "letters.categories",
        "letters.campaign_id",
      ])
      .where("signatures.id", "=", input.signatureId)
      .where("signatures.letter_id", "=", input.letterId)
      .executeTakeFirst();
    if (!signature) throw new AppError("not_found");
    authorise(input.actor, "signature.edit", signature.campaign_id);
    if (signature.visibility !== "listed" || !NAME_HOLDING_STATES.includes(signature.state)) {
      throw new AppError("invalid_state");
    }
    const categories = JSON.parse(signature.categories) as string[];
    if (
      parsed.data.category !== null &&
      categories.length > 0 &&
      !categories.includes(parsed.data.category)
    ) {
      return { outcome: "invalid", problems: { category: "sign.invalidChoice" } };
    }
    const changed = [
      signature.display_name !== name ? "name" : "",
      signature.category !== parsed.data.category ? "category" : "",
      signature.country !== parsed.data.country ? "country" : "",
    ].filter(Boolean);
    if (changed.length === 0) return { outcome: "corrected", changed };

    if (changed.includes("name")) {
      const holder = await findNameHolder(trx, {
        letterId: input.letterId,
        matchKey: key,
        exceptId: signature.id,
      });
      if (holder) return { outcome: "invalid", problems: { name: "corrections.nameTaken" } };
    }
    await trx
      .updateTable("signatures")
      .set({
        display_name: name,
        match_key: key,
        category: parsed.data.category,
        country: parsed.data.country,
        updated_at: now.toISOString(),
      })
      .where("id", "=", signature.id)
      .execute();
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "signature.correct",
        subjectType: "signature",
        subjectId: signature.id,
        campaignId: signature.campaign_id,
        letterId: input.letterId,
        detail: { fields: changed.join(",") },
      },
      now,
    );
    return { outcome: "corrected", changed };
  });
  if (result.outcome === "corrected" && result.changed.length > 0) letterChanged(input.letterId);
  return result;
}
