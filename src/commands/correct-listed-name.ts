import { z } from "zod";
import { AppError } from "../domain/app-error.ts";
import { startOfUtcDay } from "../domain/coarse-time.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { displayName, matchKey, nameProblem } from "../domain/names.ts";
import type { FieldProblems } from "../domain/sign-form.ts";
import { FIELD_LIMITS } from "../domain/sign-on-rules.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import { findNameHolder } from "../queries/find-name-holder.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import { signatureBySignerLink } from "../store/signature-rows.ts";
import { recordSignerEvent } from "../store/signer-events.ts";

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
  /** `awaitingReview`: the endorsement is public, so the new name waits for a coordinator. */
  | { outcome: "corrected"; letterId: number; changed: boolean; awaitingReview: boolean }
  | { outcome: "invalid"; problems: FieldProblems };

/**
 * A listed signer fixes a typo in their public name through the manage link. Zawgyi is converted like at
 * signing, and the new name must not be one another endorsement of the letter already holds. Undisclosed
 * endorsements have no public name, so there is nothing here to correct (and nothing to learn by trying).
 *
 * Once approved, the name is public, and whoever holds the link could otherwise rename an organisation
 * that coordinators checked into anything ("Ministry of Defence"): the change is kept as a proposal for
 * review, and the public entry keeps its approved name until a coordinator accepts it. Before approval the
 * endorsement is still in the review queue, so the name is changed there directly.
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
  const problems: FieldProblems = {};
  for (const field of ["name", "name_alt"] as const) {
    const value = parsed.data[field];
    const problem = value === undefined ? undefined : nameProblem(value);
    if (problem) problems[field] = { key: problem };
  }
  if (Object.keys(problems).length > 0) return { outcome: "invalid", problems };
  const name = displayName(parsed.data.name);
  const nameAlt = parsed.data.name_alt === undefined ? null : displayName(parsed.data.name_alt);
  const key = matchKey(name);
  // A signer's action: its time is kept to the day (domain/coarse-time.ts).
  const at = startOfUtcDay(now);

  const result = await deps.store.db.transaction().execute(async (trx): Promise<CorrectListedNameResult> => {
    const signature = await signatureBySignerLink(trx, "signatures.manage_token_hash", {
      slug: input.slug,
      token: input.manageToken,
    })
      .select([
        "signatures.display_name",
        "signatures.display_name_alt",
        "signatures.proposed_name",
        "signatures.proposed_name_alt",
      ])
      .executeTakeFirst();
    if (!signature) throw new AppError("token_invalid");
    if (signature.visibility !== "listed" || !NAME_HOLDING_STATES.includes(signature.state)) {
      throw new AppError("invalid_state");
    }
    const approved = signature.state === "approved";
    const unchanged = approved
      ? signature.proposed_name === name && signature.proposed_name_alt === nameAlt
      : signature.display_name === name && signature.display_name_alt === nameAlt;
    if (unchanged) {
      return {
        outcome: "corrected",
        letterId: signature.letter_id,
        changed: false,
        awaitingReview: approved,
      };
    }
    const holder = await findNameHolder(trx, {
      letterId: signature.letter_id,
      matchKey: key,
      exceptId: signature.id,
    });
    if (holder) return { outcome: "invalid", problems: { name: { key: "sign.alreadySigned" } } };

    const back = approved && signature.display_name === name && signature.display_name_alt === nameAlt;
    await trx
      .updateTable("signatures")
      .set(
        approved
          ? // Going back to the approved name withdraws the proposal.
            { proposed_name: back ? null : name, proposed_name_alt: back ? null : nameAlt, updated_at: at }
          : {
              display_name: name,
              display_name_alt: nameAlt,
              match_key: key,
              skeleton: confusableSkeleton(name),
              updated_at: at,
            },
      )
      .where("id", "=", signature.id)
      .execute();
    // The old and new names are public (listed), but the audit log needs only that it happened.
    await recordSignerEvent(
      trx,
      signature,
      {
        action: "signature.correct_name",
        ...(approved ? { detail: { review: back ? "withdrawn" : "requested" } } : {}),
      },
      now,
    );
    return {
      outcome: "corrected",
      letterId: signature.letter_id,
      changed: true,
      awaitingReview: approved && !back,
    };
  });
  if (result.outcome === "corrected" && result.changed && !result.awaitingReview)
    letterChanged(result.letterId);
  return result;
}
