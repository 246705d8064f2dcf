import { type Kysely, type Migration, Migrator } from "kysely";
import * as initial from "./migrations/0001-initial.ts";
import * as campaignMembers from "./migrations/0002-campaign-members.ts";
import * as transparencyLog from "./migrations/0006-transparency-log.ts";
import * as imports from "./migrations/0007-imports.ts";
import type { Database } from "./schema.ts";

// Migrations are listed here rather than read from disk so they ship inside any bundle and run in order.
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
  "0002-campaign-members": campaignMembers,
  "0006-transparency-log": transparencyLog,
  "0007-imports": imports,
};

/** Applies every pending migration; returns the names applied. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
