import { countedFlag } from "./counts.ts";
import type { SignatureState, Visibility } from "./signature-states.ts";

/*
 * Count releases. Anyone can poll a letter's public count while an ISP records who connects when; if an
 * undisclosed endorsement's withdrawal lowered the count at that moment, the two records together would name
 * the organisation. So what an undisclosed signer does (withdraw, change, confirm where that alone would
 * count) reaches the public count only at the letter's next release, together with everyone else's changes
 * since the last one. What coordinators do (approve, reject, merge, import) counts at once: their moments
 * are not a signer's. A listed signer's change also counts at once, because their name appears on or leaves
 * the public list at that moment anyway; the count only follows what the list already shows.
 *
 * Releases lie on a grid from UTC midnight, every `releaseEveryHours` hours (a divisor of 24: daily by
 * default, down to hourly), so a release says nothing of any one signer's moment.
 */

export const RELEASE_RHYTHMS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
export const DEFAULT_RELEASE_EVERY_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;

export function isReleaseRhythm(hours: number): boolean {
  return (RELEASE_RHYTHMS as readonly number[]).includes(hours);
}

/** The first release strictly after `now`, on the letter's grid from UTC midnight. */
export function nextRelease(releaseEveryHours: number, now: Date): Date {
  if (!isReleaseRhythm(releaseEveryHours)) throw new RangeError(`${releaseEveryHours} does not divide a day`);
  const step = releaseEveryHours * HOUR_MS;
  return new Date((Math.floor(now.getTime() / step) + 1) * step);
}

/** `now` cut to the hour: the time a release is recorded with. */
export function releaseHour(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
}

/** What a change of state does to a row's `counted` flag and its pending release. */
export type CountEffect = { counted: 0 | 1; count_change_at: null } | { count_change_at: string | null };

export function countEffect(
  change:
    | { by: "coordinator"; to: SignatureState }
    | {
        by: "signer";
        visibility: Visibility;
        /** The row's `counted` flag before the change. */
        counted: number;
        to: SignatureState;
        releaseEveryHours: number;
        now: Date;
      },
): CountEffect {
  const counted = countedFlag(change.to);
  if (change.by === "coordinator" || change.visibility === "listed")
    return { counted, count_change_at: null };
  // Nothing for the public count to learn (an undisclosed confirmation that still waits for review).
  if (counted === change.counted) return { count_change_at: null };
  return { count_change_at: nextRelease(change.releaseEveryHours, change.now).toISOString() };
}

/**
 * When a signer's new listing condition reaches the public waiting figure (`{{waiting}}`): the release to
 * set as the row's `count_change_at`, or undefined when nothing public is to change. A row that does not
 * count yet takes its part from its condition whenever it starts to count (the release, a coordinator's
 * approval), so it needs nothing; a counted one whose part changes waits for the next release, or for the
 * one already pending.
 */
export function waitingChangeAt(
  row: { counted: number; countedWaiting: number; countChangeAt: string | null },
  waiting: boolean,
  releaseEveryHours: number,
  now: Date,
): string | undefined {
  if (row.counted !== 1 || row.countedWaiting === (waiting ? 1 : 0)) return undefined;
  return row.countChangeAt ?? nextRelease(releaseEveryHours, now).toISOString();
}
