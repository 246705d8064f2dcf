import type { ExpressionBuilder } from "kysely";
import type { Database } from "../store/schema.ts";

/*
 * The one rule for "this endorsement counts", read by every count and every public list: pages, the API,
 * the PDF, feeds, embeds, the CSV export and the transparency log. A row counts when its `counted` flag
 * says so, not when its state is approved: the flag follows a coordinator's action at once and an undisclosed
 * signer's change at the letter's next release (domain/count-release.ts), so reading the state here would
 * let a public count move at a signer's moment.
 */
export function isCounted(eb: ExpressionBuilder<Database, "signatures">) {
  return eb("signatures.counted", "=", 1);
}
