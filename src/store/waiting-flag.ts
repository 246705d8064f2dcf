import type { ExpressionBuilder } from "kysely";
import type { Database } from "./schema.ts";

/*
 * The value `signatures.counted_waiting` takes when a row's change reaches the public figures: 1 for an
 * undisclosed endorsement that carries a listing condition. Written in SQL so the release and a
 * coordinator's transition set it from the row as it stands, in the same statement that sets `counted`.
 */
export function waitingFlag(eb: ExpressionBuilder<Database, "signatures">) {
  return eb
    .case()
    .when(eb.and([eb("visibility", "=", "undisclosed"), eb("disclose_threshold", "is not", null)]))
    .then(1)
    .else(0)
    .end();
}
