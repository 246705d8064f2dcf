import type { FastifyInstance } from "fastify";
import { createExampleCampaign } from "../commands/create-example-campaign.ts";
import { createSetupLink, setupLinkWaiting } from "../commands/create-setup-link.ts";
import { type PeriodicWork, startPeriodicWork, startWitnessWork } from "../commands/periodic-work.ts";
import type { Witness } from "../commands/witness-checkpoint.ts";
import { type Config, ConfigError } from "../config.ts";
import { cosignatureKey } from "../domain/tlog/witness.ts";
import type { Logger } from "../log.ts";
import { createMailTransport } from "../mail/transports.ts";
import { type OutboxWorker, startOutboxWorker } from "../mail/worker.ts";
import { findChromium, PdfPrinter } from "../pdf/chromium.ts";
import { type ChangeFeed, listenForChanges } from "../store/change-feed.ts";
import { prepareDataDir } from "../store/data-dir.ts";
import { openStore, type Store } from "../store/db.ts";
import { syncWitnesses } from "../store/log-witnesses.ts";
import { migrateToLatest } from "../store/migrate.ts";
import { getOrCreateSecret } from "../store/settings.ts";
import { ensureLogKey, LogKeyMismatchError } from "../store/transparency-log.ts";
import { buildApp } from "./app.ts";

export type RunningServer = {
  app: FastifyInstance;
  store: Store;
  /** The one-time link this process printed for creating the owner; undefined if it printed none. */
  setupLink: string | undefined;
  /** Drains requests and the mail being sent, then closes the database. */
  close(): Promise<void>;
};

/**
 * Everything `undersigned serve` starts, in order: the database (migrated), the web app listening on the
 * configured address, the outbox worker, and, on a server without accounts, the set-up link. The CLI and
 * the browser journeys both start the server through here, so the journeys exercise what operators run.
 * `announce` receives the operator-facing lines (the CLI prints them).
 */
export async function startServer(
  config: Config,
  log: Logger,
  announce: (line: string) => void,
): Promise<RunningServer> {
  // On PostgreSQL too: the mailbox, uploads, response documents and PDF cache live in DATA_DIR.
  const { foreign } = prepareDataDir(config.dataDir);
  if (foreign.length > 0)
    announce(
      `DATA_DIR ${config.dataDir} also holds files Undersigned did not make (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}): their modes, and the folder's own, are left as they are. Give Undersigned a folder of its own, so that the folder can be private (0700).`,
    );
  const store = await openStore(config);
  let app: FastifyInstance | undefined;
  let mail: OutboxWorker | undefined;
  let periodic: PeriodicWork | undefined;
  let witnessing: PeriodicWork | undefined;
  let changes: ChangeFeed | undefined;
  const close = async () => {
    // The mail being sent gets its bounded grace while requests drain; all need the store until then.
    await Promise.all([app?.close(), mail?.stop(), periodic?.stop(), witnessing?.stop(), changes?.stop()]);
    await store.close();
  };
  try {
    const witnesses = configuredWitnesses(config);
    await migrateToLatest(store.db);
    const now = () => new Date();
    const secret = await getOrCreateSecret(store.db, now());
    // Before serving: a process holding another log key must not start (it would fork the log's signatures).
    const logIdentity = await ensureLogKey(
      store.db,
      { origin: config.logOrigin, configuredKey: config.logKey },
      now(),
    ).catch((error: unknown) => {
      if (error instanceof LogKeyMismatchError) throw new ConfigError("LOG_KEY", error.message);
      throw error;
    });
    // First start on an empty database: an example campaign to look at (does nothing once any campaign exists).
    const example = await createExampleCampaign({ store, config }, now());
    app = await buildApp({
      store,
      config,
      log,
      secret,
      now,
      pdf: new PdfPrinter(findChromium(config.chromiumPath)),
    });
    // Other processes' changes to letters reach this one's caches within a second.
    changes = await listenForChanges({ db: store.db, databaseUrl: config.databaseUrl, log });
    await app.listen({ port: config.port, host: config.host });
    announce(
      `Undersigned is serving ${config.baseUrl} (${store.dialect === "sqlite" ? `SQLite in ${config.dataDir}` : "PostgreSQL"})`,
    );
    if (example.created) {
      announce(
        `Created an example campaign and letter: ${config.baseUrl}/letters/${example.letterSlug} (its DEMO key, never for real endorsements: ${example.keyFile})`,
      );
    }
    // Announces where mail goes (SMTP host, or the local mailbox when SMTP_URL is unset), then sends what is due.
    mail = startOutboxWorker({
      db: store.db,
      dialect: store.dialect,
      transport: createMailTransport({
        smtpUrl: config.smtpUrl,
        dataDir: config.dataDir,
        from: config.mailFrom,
        connections: config.mailConcurrency,
      }),
      concurrency: config.mailConcurrency,
      log,
      now,
      announce,
    });
    // Count releases, ended rate-limit windows and the transparency log, every few seconds.
    periodic = startPeriodicWork({ store, signer: logIdentity.signer, log, now });
    await syncWitnesses(store.db, witnesses, now());
    if (witnesses.length > 0)
      witnessing = startWitnessWork({ deps: { db: store.db, witnesses, fetch }, log, now });
    const setup = await createSetupLink({ store, config, secret }, { actor: "system" }, now());
    if (setup.outcome === "created")
      announce(`Set up the first coordinator (link valid 24 h, works once): ${setup.link}`);
    if (setup.outcome === "waiting") announce(setupLinkWaiting(setup.until));
    return { app, store, setupLink: setup.outcome === "created" ? setup.link : undefined, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function configuredWitnesses(config: Config): Witness[] {
  return config.witnesses.map((w) => {
    const key = cosignatureKey(w.vkey);
    if (!key) throw new ConfigError("WITNESSES", `${w.vkey} is not a note verifier key whose hash matches`);
    return { ...w, key };
  });
}
