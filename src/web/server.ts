import type { FastifyInstance } from "fastify";
import { createExampleCampaign } from "../commands/create-example-campaign.ts";
import { createSetupLink } from "../commands/create-setup-link.ts";
import { type LogIntegrator, startLogIntegrator } from "../commands/log-integrator.ts";
import { type Config, ConfigError } from "../config.ts";
import type { Logger } from "../log.ts";
import { createMailTransport } from "../mail/transports.ts";
import { type OutboxWorker, startOutboxWorker } from "../mail/worker.ts";
import { findChromium, PdfPrinter } from "../pdf/chromium.ts";
import { prepareDataDir } from "../store/data-dir.ts";
import { openStore, type Store } from "../store/db.ts";
import { migrateToLatest } from "../store/migrate.ts";
import { getOrCreateSecret } from "../store/settings.ts";
import { ensureLogKey, LogKeyMismatchError } from "../store/transparency-log.ts";
import { buildApp } from "./app.ts";

export type RunningServer = {
  app: FastifyInstance;
  store: Store;
  /** The one-time link printed for creating the owner; undefined once an account exists. */
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
  prepareDataDir(config.dataDir);
  const store = await openStore(config);
  let app: FastifyInstance | undefined;
  let mail: OutboxWorker | undefined;
  let integrator: LogIntegrator | undefined;
  const close = async () => {
    // The mail being sent gets its bounded grace while requests drain; all need the store until then.
    await Promise.all([app?.close(), mail?.stop(), integrator?.stop()]);
    await store.close();
  };
  try {
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
      }),
      log,
      now,
      announce,
    });
    integrator = startLogIntegrator({ db: store.db, signer: logIdentity.signer, log, now });
    const setupLink = await createSetupLink({ store, config, secret }, { actor: "system" }, now());
    if (setupLink) announce(`Set up the first coordinator (link valid 24 h, works once): ${setupLink}`);
    return { app, store, setupLink, close };
  } catch (error) {
    await close();
    throw error;
  }
}
