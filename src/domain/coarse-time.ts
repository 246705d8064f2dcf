/*
 * Coarse times for records a signer's action causes. Where ISPs keep connection records, an exact moment is
 * an identity: joined with a provider's log, "confirmed at 14:03:22" names the person who confirmed. So what
 * a signer causes is stored to the UTC day, and what the server does on its own schedule (sweeps, releases,
 * log integration) to the UTC hour. Coordinators' own actions keep their exact times: they are not hiding.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The UTC day of `now` as YYYY-MM-DD. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Midnight UTC of `now`'s day, as the ISO-8601 string the schema stores. */
export function startOfUtcDay(now: Date): string {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString();
}

/** The start of `now`'s UTC hour, for the server's own periodic work. */
export function startOfUtcHour(now: Date): string {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS).toISOString();
}

/** `days` whole days after the start of `now`'s UTC day: expiries that say nothing finer than the day. */
export function daysAfterStartOfDay(now: Date, days: number): string {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + days * DAY_MS).toISOString();
}

/** Midnight UTC of `now`'s day as a Date: the `now` a signer-caused write passes on. */
export function dayOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}

/**
 * The start of the hour `hours` whole hours after the start of `now`'s hour, so a time derived from a
 * signer's moment (a lease, a retry) says nothing finer than the hour it was set in. With `hours` ≥ 2 the
 * result is always more than an hour after `now`.
 */
export function hoursAfterStartOfHour(now: Date, hours: number): string {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + hours * HOUR_MS).toISOString();
}
