import type { Counts, VisibilityCounts } from "../src/domain/counts.ts";

type Split = Omit<VisibilityCounts, "total">;

type Parts = { organisation?: Split; individual?: Split };

const NONE: Split = { listed: 0, undisclosed: 0 };

const withTotal = (split: Split): VisibilityCounts => ({ total: split.listed + split.undisclosed, ...split });

/**
 * A letter's counts as domain/counts.ts spells them, from how many of each kind are listed and undisclosed;
 * every total is the sum of its parts, as there. `waiting` is left out for readers that do not carry it
 * (the log's recount, the API's counts object).
 */
export function countsOf(parts: Parts & { waiting: number }): Counts;
export function countsOf(parts: Parts): Omit<Counts, "waiting">;
export function countsOf(parts: Parts & { waiting?: number }): Counts | Omit<Counts, "waiting"> {
  const organisation = withTotal(parts.organisation ?? NONE);
  const individual = withTotal(parts.individual ?? NONE);
  const all = withTotal({
    listed: organisation.listed + individual.listed,
    undisclosed: organisation.undisclosed + individual.undisclosed,
  });
  return {
    ...all,
    ...(parts.waiting === undefined ? {} : { waiting: parts.waiting }),
    byKind: { organisation, individual },
  };
}
