import type { Kysely } from "kysely";
import type { SignatureState } from "../domain/signature-states.ts";
import { NAME_HOLDING_STATES } from "../domain/signature-states.ts";
import type { Database } from "../store/schema.ts";

export type SealedForComparison = {
  id: number;
  sealedIdentity: string;
  state: SignatureState;
  confirmedAt: string | null;
};

export type ListedForComparison = {
  id: number;
  name: string;
  state: SignatureState;
  confirmedAt: string | null;
};

export type ComparisonRecords = {
  campaignPublicKey: string | null;
  undisclosed: SealedForComparison[];
  listed: ListedForComparison[];
};

/**
 * What the duplicates page hands to the coordinator's browser so it can compare undisclosed endorsements
 * (DESIGN.md, non-negotiable 1: their names are only ever compared where the key is): the sealed identities
 * of the letter's undisclosed endorsements that hold their place (confirmed or approved), and the public
 * names of its listed ones, each earliest first, the order a merge keeps.
 */
export async function listComparisonRecords(
  db: Kysely<Database>,
  letterId: number,
): Promise<ComparisonRecords> {
  const [campaign, rows] = await Promise.all([
    db
      .selectFrom("letters")
      .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
      .select("campaigns.public_key")
      .where("letters.id", "=", letterId)
      .executeTakeFirst(),
    db
      .selectFrom("signatures")
      .select(["id", "visibility", "display_name", "sealed_identity", "state", "confirmed_at"])
      .where("letter_id", "=", letterId)
      .where("state", "in", NAME_HOLDING_STATES)
      .orderBy("confirmed_at")
      .orderBy("id")
      .execute(),
  ]);
  const undisclosed = rows.filter((r) => r.visibility === "undisclosed" && r.sealed_identity !== null);
  return {
    campaignPublicKey: campaign?.public_key ?? null,
    undisclosed: undisclosed.map((r) => ({
      id: r.id,
      sealedIdentity: r.sealed_identity!,
      state: r.state,
      confirmedAt: r.confirmed_at,
    })),
    listed: rows
      .filter((r) => r.visibility === "listed")
      .map((r) => ({ id: r.id, name: r.display_name ?? "", state: r.state, confirmedAt: r.confirmed_at })),
  };
}
