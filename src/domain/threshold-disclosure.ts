import { utcDay } from "./coarse-time.ts";
import type { SignatureState, Visibility } from "./signature-states.ts";

/*
 * Safety in numbers. An organisation named among five is a target; named among three hundred it is one of
 * a movement. So a signer may choose a third way between listed and undisclosed: "list our name once at
 * least N other organisations are listed on this letter, or from this day". Until then the endorsement is
 * undisclosed in every respect (its row says `undisclosed`, its identity is sealed, its times are days); the
 * server keeps only the condition, which names nobody. The coalition, who holds the key, lists the name once
 * the condition is met: the server cannot, since it cannot read the name.
 *
 * The condition counts listed endorsements only, not other threshold ones still waiting: otherwise two
 * hundred organisations waiting for each other would all be "met" with nobody actually named beside them.
 */

/** What the sign form's visibility question offers: the stored visibilities and the threshold. */
export type VisibilityChoice = Visibility | "threshold";

export const DEFAULT_THRESHOLD = 50;
/** The largest threshold the form takes: a number beyond any letter's reach would simply never be met. */
export const MAX_THRESHOLD = 100_000;

/**
 * The signer's condition: at least `threshold` others listed, or (when set) from `discloseOn`, a UTC day. A
 * threshold of 0 is a signer's "list us now" from the manage page: met at once.
 */
export type ListingCondition = { threshold: number; discloseOn: string | null };

/** Where a threshold endorsement stands: still sealed and waiting, condition met, or listed since a day. */
export type ThresholdState = { state: "waiting" } | { state: "met" } | { state: "listed"; since: string };

/** A row's condition columns as a condition, or undefined for an endorsement without one. */
export function conditionOf(row: {
  disclose_threshold: number | null;
  disclose_on: string | null;
}): ListingCondition | undefined {
  return row.disclose_threshold === null
    ? undefined
    : { threshold: row.disclose_threshold, discloseOn: row.disclose_on };
}

/** Whether the condition holds, with `listedOthers` the letter's counted listed endorsements besides this one. */
export function conditionMet(condition: ListingCondition, listedOthers: number, now: Date): boolean {
  if (listedOthers >= condition.threshold) return true;
  return condition.discloseOn !== null && utcDay(now) >= condition.discloseOn;
}

/**
 * The state a receipt and the console show. A row listed by disclosure keeps its condition and the day it
 * was listed; one still undisclosed is waiting or met. Rejected, withdrawn and merged rows are neither.
 */
export function thresholdState(
  row: { visibility: Visibility; state: SignatureState; disclosedOn: string | null },
  condition: ListingCondition,
  listedOthers: number,
  now: Date,
): ThresholdState | undefined {
  if (row.visibility === "listed" && row.disclosedOn !== null)
    return { state: "listed", since: row.disclosedOn };
  if (row.state !== "confirmed" && row.state !== "approved" && row.state !== "unconfirmed") return undefined;
  return conditionMet(condition, listedOthers, now) ? { state: "met" } : { state: "waiting" };
}

/**
 * Whether a coordinator may list this endorsement now: an undisclosed one that carries a condition, holds its
 * place (confirmed or approved), and whose condition is met. A coordinator cannot list a name early: only
 * the signer can change the condition.
 */
export function listingRefusal(
  row: { visibility: Visibility; state: SignatureState },
  condition: ListingCondition | undefined,
  listedOthers: number,
  now: Date,
): "no_condition" | "not_live" | "not_met" | undefined {
  if (row.visibility !== "undisclosed" || condition === undefined) return "no_condition";
  if (row.state !== "confirmed" && row.state !== "approved") return "not_live";
  return conditionMet(condition, listedOthers, now) ? undefined : "not_met";
}

/** A `disclose_on` as typed: a real calendar day written YYYY-MM-DD, or undefined. */
export function parseDay(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : undefined;
}
