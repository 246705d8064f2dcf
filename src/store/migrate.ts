import { type Kysely, type Migration, Migrator } from "kysely";
import * as initial from "./migrations/0001-initial.ts";
import * as campaignMembers from "./migrations/0002-campaign-members.ts";
import * as transparencyLog from "./migrations/0006-transparency-log.ts";
import * as imports from "./migrations/0007-imports.ts";
import * as signerTimes from "./migrations/0008-signer-times.ts";
import * as countReleases from "./migrations/0009-count-releases-and-limiter-windows.ts";
import * as campaignKeyProposals from "./migrations/0010-campaign-key-proposals.ts";
import * as nameSafety from "./migrations/0011-name-safety.ts";
import * as countStatements from "./migrations/0012-count-statements.ts";
import * as keyedMatchKeys from "./migrations/0013-keyed-match-keys.ts";
import * as letterReplyTo from "./migrations/0013b-letter-reply-to.ts";
import * as endorsementSalts from "./migrations/0014-endorsement-salts.ts";
import * as thresholdDisclosure from "./migrations/0016-threshold-disclosure.ts";
import * as logWitnesses from "./migrations/0017-log-witnesses.ts";
import * as nameHolderIndex from "./migrations/0018-name-holder-index.ts";
import * as outboxHandover from "./migrations/0019-outbox-handover.ts";
import * as waitingCounts from "./migrations/0020-waiting-counts.ts";
import * as labelTranslations from "./migrations/0021-label-translations.ts";
import * as addresseeGroupKeys from "./migrations/0022-addressee-group-keys.ts";
import type { Database } from "./schema.ts";

// Migrations are listed here rather than read from disk so they ship inside any bundle and run in order.
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-campaign-members": campaignMembers,
  "0006-transparency-log": transparencyLog,
  "0007-imports": imports,
  "0008-signer-times": signerTimes,
  "0009-count-releases-and-limiter-windows": countReleases,
  "0010-campaign-key-proposals": campaignKeyProposals,
  "0011-name-safety": nameSafety,
  "0012-count-statements": countStatements,
  "0013-keyed-match-keys": keyedMatchKeys,
  "0013b-letter-reply-to": letterReplyTo,
  "0014-endorsement-salts": endorsementSalts,
  "0016-threshold-disclosure": thresholdDisclosure,
  "0017-log-witnesses": logWitnesses,
  "0018-name-holder-index": nameHolderIndex,
  "0019-outbox-handover": outboxHandover,
  "0020-waiting-counts": waitingCounts,
  "0021-label-translations": labelTranslations,
  "0022-addressee-group-keys": addresseeGroupKeys,
};

/** Applies every pending migration; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Numbers were reserved per piece of work and land in any order: a database that already ran a later one
  // still takes an earlier one that arrives after it (each migration is independent of the others' order).
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
