import type { SignatureKind, SignatureState, Visibility } from "./signature-states.ts";

/*
 * The one count function (DESIGN.md, non-negotiable 4). Every number a reader, a recipient or the API sees
 * comes from here: derived from the signatures themselves, never typed in, and with
 * listed + undisclosed = total by construction, because total is computed as that sum.
 */

/** Only approved endorsements count: unconfirmed, confirmed-but-unreviewed, rejected, withdrawn and merged ones do not. */
export const COUNTED_STATE: SignatureState = "approved";

/**
 * The `counted` flag a row in `state` carries once its change has taken effect: at once for what
 * coordinators do, at the next release for what an undisclosed signer does (domain/count-release.ts).
 */
export function countedFlag(state: SignatureState): 0 | 1 {
  return state === COUNTED_STATE ? 1 : 0;
}

export type VisibilityCounts = { total: number; listed: number; undisclosed: number };

export type Counts = VisibilityCounts & {
  /**
   * Of the undisclosed, how many carry a listing condition, so will be listed once it is met
   * (domain/threshold-disclosure.ts). Released like the counts, never at a signer's moment.
   */
  waiting: number;
  byKind: Record<SignatureKind, VisibilityCounts>;
};

/**
 * One group of counted signatures, as the count query returns it (GROUP BY kind, visibility), with how many
 * of them count as waiting for their listing condition.
 */
export type CountGroup = { kind: SignatureKind; visibility: Visibility; count: number; waiting?: number };

export function zeroCounts(): Counts {
  return assembleCounts([]);
}

/**
 * Assembles counts from grouped rows. Groups may repeat (they are added up) and may be missing (zero).
 * Totals are sums of their parts, so the invariants cannot drift apart whatever the input.
 */
export function assembleCounts(groups: Iterable<CountGroup>): Counts {
  const cells: Record<SignatureKind, Record<Visibility, number>> = {
    organisation: { listed: 0, undisclosed: 0 },
    individual: { listed: 0, undisclosed: 0 },
  };
  let waiting = 0;
  for (const group of groups) {
    const cell = cells[group.kind];
    // Rows come from the database: refuse a value outside the schema's vocabulary instead of miscounting it.
    if (!cell || !(group.visibility in cell)) {
      throw new RangeError(`assembleCounts: unknown kind/visibility ${group.kind}/${group.visibility}`);
    }
    if (!Number.isSafeInteger(group.count) || group.count < 0) {
      throw new RangeError(`assembleCounts: ${group.count} is not a count`);
    }
    cell[group.visibility] += group.count;
    // Only an undisclosed endorsement waits to be listed; a listed group has nothing to add.
    const groupWaiting = group.visibility === "undisclosed" ? (group.waiting ?? 0) : 0;
    if (!Number.isSafeInteger(groupWaiting) || groupWaiting < 0 || groupWaiting > group.count) {
      throw new RangeError(`assembleCounts: ${groupWaiting} waiting of ${group.count}`);
    }
    waiting += groupWaiting;
  }
  const kindCounts = (kind: SignatureKind): VisibilityCounts => {
    const { listed, undisclosed } = cells[kind];
    return { total: listed + undisclosed, listed, undisclosed };
  };
  const organisation = kindCounts("organisation");
  const individual = kindCounts("individual");
  const listed = organisation.listed + individual.listed;
  const undisclosed = organisation.undisclosed + individual.undisclosed;
  return { total: listed + undisclosed, listed, undisclosed, waiting, byKind: { organisation, individual } };
}
