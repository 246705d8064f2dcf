/*
 * A day typed as YYYY-MM-DD (a letter's date, its publication date, a deadline's day). JavaScript's Date
 * takes year 0000 and the first centuries without complaint, and a letter dated "0000-01-01" would be
 * printed and published as such; no letter is older than the year 1000, so earlier years are typing slips.
 */

const EARLIEST_YEAR = 1000;

/** True for a real calendar day from the year 1000 on, written YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number(text.slice(0, 4)) < EARLIEST_YEAR) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}
