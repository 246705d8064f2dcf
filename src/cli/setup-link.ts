import { createSetupLink } from "../commands/create-setup-link.ts";
import { loadConfig, loadDotEnv } from "../config.ts";
import { openStore } from "../store/db.ts";
import { migrateToLatest } from "../store/migrate.ts";
import { getOrCreateSecret } from "../store/settings.ts";

/*
 * `undersigned setup-link`: a new set-up link for the first coordinator, for when the one a server printed
 * was lost. It replaces the link waiting (which stops working); servers never do, so that several processes
 * starting together leave exactly one working link.
 */

export type SetupLinkIo = { out(line: string): void; err(line: string): void; now(): Date };

export async function setupLinkCommand(argv: string[], io: SetupLinkIo): Promise<number> {
  if (argv.length > 0) {
    io.err("setup-link: takes no arguments (BASE_URL, DATA_DIR and DATABASE_URL come from the environment)");
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const store = await openStore(config);
  try {
    await migrateToLatest(store.db);
    const secret = await getOrCreateSecret(store.db, io.now());
    const result = await createSetupLink(
      { store, config, secret },
      { actor: "cli", replace: true },
      io.now(),
    );
    if (result.outcome !== "created") {
      io.err("setup-link: an account exists already; coordinators are invited from the console");
      return 1;
    }
    io.out(
      `Set up the first coordinator (link valid 24 h, works once; any earlier link no longer works): ${result.link}`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
