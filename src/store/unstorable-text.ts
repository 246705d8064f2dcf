/*
 * PostgreSQL refuses some text that SQLite stores: a NUL (22021, "invalid byte sequence") and characters
 * with no equivalent in the database's encoding (22P05). Forms refuse these characters before they reach a
 * query; whatever else carries them (a path, a query string, a cookie) is refused by the database, and that
 * refusal is the sender's mistake, answered as one, not a server fault.
 */
const UNSTORABLE_TEXT_CODES: ReadonlySet<string> = new Set(["22021", "22P05"]);

export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNSTORABLE_TEXT_CODES.has(code);
}
