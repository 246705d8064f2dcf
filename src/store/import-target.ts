import type { Kysely } from "kysely";
import type { ImportLetter } from "../domain/endorsement-row-check.ts";
import { type Actor, authorise } from "../policies/actor.ts";
import type { Database } from "./schema.ts";

/*
 * The letter an import goes to, and why an import cannot start. Shared by both ways rows arrive
 * (imported-rows.ts).
 */

/** The state imported rows take: waiting for review, or approved (and counted) at once. */
export type ImportStatus = "confirmed" | "approved";

/** The import cannot start: `usage` when the file or the arguments are at fault (exit code 2). */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly usage: boolean,
    /** For the console's translated message: import.refused.<code>. */
    readonly code: "noLetter" | "noText" | "noKey" | "demoKey" | "wrongKey" | "file" | "busy" = "file",
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export type ImportTarget = {
  id: number;
  campaignId: number;
  versionId: number;
  publicKey: string;
  letter: ImportLetter;
};

/** The letter an import goes to, refused when it cannot take sealed rows yet; the actor is authorised here. */
export async function importTarget(
  db: Kysely<Database>,
  actor: Actor,
  letter: { slug: string } | { id: number },
): Promise<ImportTarget> {
  let query = db
    .selectFrom("letters")
    .innerJoin("campaigns", "campaigns.id", "letters.campaign_id")
    .select([
      "letters.id",
      "letters.campaign_id",
      "letters.current_version_id",
      "letters.signers",
      "letters.allow_undisclosed",
      "letters.categories",
      "campaigns.public_key",
      "campaigns.demo_key",
    ]);
  query =
    "slug" in letter
      ? query.where("letters.slug", "=", letter.slug)
      : query.where("letters.id", "=", letter.id);
  const row = await query.executeTakeFirst();
  const name = "slug" in letter ? letter.slug : String(letter.id);
  if (!row) throw new ImportRefused(`there is no letter "${name}"`, true, "noLetter");
  authorise(actor, "signature.edit", row.campaign_id);
  if (row.current_version_id === null) throw new ImportRefused("the letter has no text yet", false, "noText");
  if (!row.public_key)
    throw new ImportRefused(
      "the letter's campaign has no coalition key yet (undersigned keygen)",
      false,
      "noKey",
    );
  // The example campaign's private key sits on the server: nothing real may be sealed to it.
  if (row.demo_key)
    throw new ImportRefused("the example campaign's key must not seal real endorsements", false, "demoKey");
  return {
    id: row.id,
    campaignId: row.campaign_id,
    versionId: row.current_version_id,
    publicKey: row.public_key,
    letter: {
      signers: row.signers,
      allowUndisclosed: row.allow_undisclosed === 1,
      categories: JSON.parse(row.categories) as string[],
    },
  };
}
