import type { Kysely } from "kysely";
import { AppError } from "../domain/app-error.ts";
import { utcDay } from "../domain/coarse-time.ts";
import { confusableSkeleton } from "../domain/confusables.ts";
import { displayName, matchKey } from "../domain/names.ts";
import { listedFieldsSchema } from "../domain/sign-form.ts";
import { conditionOf, listingRefusal } from "../domain/threshold-disclosure.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import { findLookAlike, findNameHolder } from "../queries/find-name-holder.ts";
import { auditSignature } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { letterChanged } from "../store/letter-changes.ts";
import type { Database } from "../store/schema.ts";
import { applySignatureEvent } from "./signature-transition.ts";

/** The public fields of one endorsement, as opened from its sealed identity by the coalition's key. */
export type EndorsementToList = {
  signatureId: number;
  name: string;
  name_alt?: string | undefined;
  category?: string | undefined;
  country?: string | undefined;
  website?: string | undefined;
};

export type ListingOutcome =
  | "listed"
  /** Its name is the same as, or looks like, one the letter already holds: left for a person to look at. */
  | "held"
  | "not_met"
  /** Its name, as opened, cannot be shown (broken encoding, control characters, nothing left): not listed. */
  | "invalid"
  /** Not a threshold endorsement, or no longer live (withdrawn, rejected, merged, never confirmed). */
  | "not_waiting";

/** More than a console page is never listed at once; the cap keeps one transaction short. */
export const MAX_LISTING_BATCH = 500;

/**
 * The coalition lists threshold endorsements whose condition is met (domain/threshold-disclosure.ts): the
 * coordinator opened them with the key (in the browser or the CLI) and sends only their public fields. Each
 * one's condition is checked here again, so a coordinator cannot list anyone early; a name that is already on
 * the letter, or looks like one, is held, as a review would, and reported rather than listed. An endorsement
 * still waiting for review is approved by its listing: whoever lists it has just read who it is.
 *
 * The sealed identity stays: the undisclosed log entry it replaces committed to it, and a signer checking
 * that entry later needs it.
 *
 * Listing is the coordinator's moment: the name appears on the public list now, and the row moves from the
 * undisclosed count to the listed one now (the total does not move). Nothing the signer did happens at it.
 */
export async function listThresholdEndorsements(
  deps: Pick<CommandDeps, "store">,
  input: { actor: Actor; letterId: number; endorsements: readonly EndorsementToList[] },
  now: Date,
): Promise<{ results: { signatureId: number; outcome: ListingOutcome }[] }> {
  if (input.endorsements.length === 0 || input.endorsements.length > MAX_LISTING_BATCH)
    throw new AppError("validation");
  const results = await deps.store.db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom("letters")
      .select(["id", "campaign_id", "categories"])
      .where("id", "=", input.letterId)
      .executeTakeFirst();
    if (!letter) throw new AppError("not_found");
    authorise(input.actor, "signature.review", letter.campaign_id);
    const schema = listedFieldsSchema(JSON.parse(letter.categories) as string[]);
    const rows = await trx
      .selectFrom("signatures")
      .select(["id", "state", "visibility", "disclose_threshold", "disclose_on", "disclosed_on"])
      .where("letter_id", "=", letter.id)
      .where(
        "id",
        "in",
        input.endorsements.map((e) => e.signatureId),
      )
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const outcomes: { signatureId: number; outcome: ListingOutcome }[] = [];
    // The lowest thresholds first: each one listed counts for the next.
    const ordered = [...input.endorsements].sort(
      (a, b) =>
        (byId.get(a.signatureId)?.disclose_threshold ?? 0) -
        (byId.get(b.signatureId)?.disclose_threshold ?? 0),
    );
    for (const endorsement of ordered) {
      const row = byId.get(endorsement.signatureId);
      // An id of another letter is a tampered request, not a race.
      if (!row) throw new AppError("not_found");
      const parsed = publicFields(schema, endorsement);
      if (!parsed) {
        outcomes.push({ signatureId: row.id, outcome: "invalid" });
        continue;
      }
      const refusal = listingRefusal(row, conditionOf(row), await listedCount(trx, letter.id), now);
      if (refusal) {
        outcomes.push({ signatureId: row.id, outcome: refusal === "not_met" ? "not_met" : "not_waiting" });
        continue;
      }
      const name = displayName(parsed.name);
      const key = matchKey(name);
      const skeleton = confusableSkeleton(name);
      const taken =
        (await findNameHolder(trx, { letterId: letter.id, matchKey: key, exceptId: row.id })) ??
        (await findLookAlike(trx, { letterId: letter.id, skeleton, exceptId: row.id }));
      if (taken !== undefined) {
        outcomes.push({ signatureId: row.id, outcome: "held" });
        continue;
      }
      if (row.state === "confirmed") await applySignatureEvent(trx, row, "approve", now);
      const listed = await trx
        .updateTable("signatures")
        .set({
          visibility: "listed",
          display_name: name,
          display_name_alt: parsed.name_alt === undefined ? null : displayName(parsed.name_alt),
          category: parsed.category ?? null,
          country: parsed.country ?? null,
          website: parsed.website ?? null,
          match_key: key,
          skeleton,
          disclosed_on: utcDay(now),
          counted: 1,
          counted_waiting: 0,
          count_change_at: null,
          updated_at: now.toISOString(),
        })
        .where("id", "=", row.id)
        .where("visibility", "=", "undisclosed")
        .where("state", "=", "approved")
        .executeTakeFirst();
      if (Number(listed.numUpdatedRows) !== 1) throw new AppError("conflict");
      await auditSignature(
        trx,
        input.actor,
        { id: row.id, letter_id: letter.id, campaign_id: letter.campaign_id },
        { action: "signature.list", detail: { threshold: row.disclose_threshold } },
        now,
      );
      outcomes.push({ signatureId: row.id, outcome: "listed" });
    }
    return outcomes;
  });
  if (results.some((r) => r.outcome === "listed")) letterChanged(input.letterId);
  return { results };
}

/**
 * The public fields as the list will show them. They were typed by the signer and sealed unchecked (in the
 * browser), so a field the sign form would have refused (a website that is no address, a category the
 * letter does not offer) is left out rather than blocking the listing; a name that cannot be shown is
 * reported instead.
 */
function publicFields(schema: ReturnType<typeof listedFieldsSchema>, endorsement: EndorsementToList) {
  const first = schema.safeParse(endorsement);
  if (first.success) return first.data;
  const refused = new Set(first.error.issues.map((issue) => String(issue.path[0])));
  if (refused.has("name")) return undefined;
  const kept = Object.fromEntries(Object.entries(endorsement).filter(([field]) => !refused.has(field)));
  const second = schema.safeParse(kept);
  return second.success ? second.data : undefined;
}

/** The letter's listed endorsements that count now: what a threshold waits for. */
async function listedCount(trx: Kysely<Database>, letterId: number): Promise<number> {
  const row = await trx
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("letter_id", "=", letterId)
    .where("visibility", "=", "listed")
    .where("counted", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
