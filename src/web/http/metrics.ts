import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "../../store/db.ts";

/*
 * What `/metrics` tells an operator's Prometheus, and what it must never tell anyone.
 *
 * Signatory protection comes first: nothing here moves at the moment a signer acts. Requests to the routes
 * a signer's action goes through (the sign form, confirmation and manage links, one-click unsubscribe), and
 * to the static files their pages load, are not measured at all; endorsements are counted as the public sees them (listed ones by state, which their
 * signers made public; every visibility only once counted, so undisclosed ones move at the batched release);
 * the outbox figures leave out the mails a signer's action caused. No default process metrics either: CPU
 * time and heap follow every request, a signer's included. The figures about endorsements and mail are read
 * from the database at each scrape, so every app process reports the same values.
 */

/**
 * Routes never measured (by pattern, e.g. /letters/:slug/sign): those a signer's action goes through, and
 * what their pages load (stylesheets, fonts, the sealing script on submit, the favicon), whose first fetch
 * by a new visitor would mark the moment as well.
 */
const UNMEASURED_ROUTE = /\/(sign|confirm|manage|unsubscribe)(\/|$)|:token|^\/assets\/|^\/favicon\.ico$/;

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class AppMetrics {
  readonly registry = new Registry();
  private readonly requestSeconds: Histogram<"method" | "route" | "status">;
  private readonly pdfPrintSeconds: Histogram;

  constructor(store: Store, now: () => Date) {
    const registers = [this.registry];
    this.requestSeconds = new Histogram({
      name: "undersigned_http_request_duration_seconds",
      help: "Time to answer a request, by method, route pattern and status (signers' routes and static files are not measured)",
      labelNames: ["method", "route", "status"],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.pdfPrintSeconds = new Histogram({
      name: "undersigned_pdf_print_seconds",
      help: "Time Chromium took to print a letter's PDF (cached PDFs are not printed again)",
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers,
    });
    // The pool first: its figures are read before this scrape's own queries take connections.
    new Gauge({
      name: "undersigned_db_pool_connections",
      help: "PostgreSQL connections of this process's pool: open and idle, open and busy, and the pool's maximum",
      labelNames: ["state"],
      registers,
      collect() {
        this.reset();
        const pool = store.poolUse?.();
        if (!pool) return;
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "busy" }, pool.open - pool.idle);
        this.set({ state: "max" }, pool.max);
      },
    });
    new Gauge({
      name: "undersigned_db_pool_waiting",
      help: "Queries of this process waiting for a free PostgreSQL connection",
      registers,
      collect() {
        this.set(store.poolUse?.().waiting ?? 0);
      },
    });
    const { db } = store;
    const notSignerCaused = db.selectFrom("outbox_messages").where("signer_caused", "=", 0);
    new Gauge({
      name: "undersigned_listed_endorsements",
      help: "Listed endorsements by state (undisclosed ones count only in undersigned_counted_endorsements)",
      labelNames: ["state"],
      registers,
      async collect() {
        const rows = await db
          .selectFrom("signatures")
          .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
          .where("visibility", "=", "listed")
          .groupBy("state")
          .execute();
        this.reset();
        for (const row of rows) this.set({ state: row.state }, Number(row.n));
      },
    });
    new Gauge({
      name: "undersigned_counted_endorsements",
      help: "Endorsements in the public counts, by visibility (undisclosed changes arrive at the batched release)",
      labelNames: ["visibility"],
      registers,
      async collect() {
        const rows = await db
          .selectFrom("signatures")
          .select(["visibility", (eb) => eb.fn.countAll<number>().as("n")])
          .where("counted", "=", 1)
          .groupBy("visibility")
          .execute();
        this.reset();
        for (const visibility of ["listed", "undisclosed"])
          this.set({ visibility }, Number(rows.find((r) => r.visibility === visibility)?.n ?? 0));
      },
    });
    new Gauge({
      name: "undersigned_last_count_release_timestamp_seconds",
      help: "The hour of the latest batched count release that changed a letter's counts (0: none yet)",
      registers,
      async collect() {
        const row = await db
          .selectFrom("letters")
          .select((eb) => eb.fn.max("counts_released_at").as("at"))
          .executeTakeFirst();
        this.set(row?.at ? Date.parse(String(row.at)) / 1000 : 0);
      },
    });
    new Gauge({
      name: "undersigned_outbox_messages",
      help: "Mails in the outbox by state: pending, sending, sent, failed (mails a signer caused are left out)",
      labelNames: ["state"],
      registers,
      async collect() {
        const rows = await notSignerCaused
          .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
          .groupBy("state")
          .execute();
        this.reset();
        for (const state of ["pending", "sending", "sent", "failed"])
          this.set({ state }, Number(rows.find((r) => r.state === state)?.n ?? 0));
      },
    });
    new Gauge({
      name: "undersigned_outbox_deferred_messages",
      help: "Mails waiting for a retry after a temporary failure (mails a signer caused are left out)",
      registers,
      async collect() {
        const row = await notSignerCaused
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("state", "=", "pending")
          .where("attempts", ">", 0)
          .executeTakeFirst();
        this.set(Number(row?.n ?? 0));
      },
    });
    new Gauge({
      name: "undersigned_outbox_oldest_age_seconds",
      help: "Age of the oldest mail not yet sent (0: none waiting; mails a signer caused are left out)",
      registers,
      async collect() {
        const row = await notSignerCaused
          .select((eb) => eb.fn.min("created_at").as("oldest"))
          .where("state", "in", ["pending", "sending"])
          .executeTakeFirst();
        const oldest = row?.oldest ? Date.parse(String(row.oldest)) : undefined;
        this.set(oldest ? Math.max(0, (now().getTime() - oldest) / 1000) : 0);
      },
    });
  }

  /** Records a request, unless its route is one a signer's action goes through or loads. */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    if (route && UNMEASURED_ROUTE.test(route)) return;
    this.requestSeconds.observe({ method, route: route ?? "unmatched", status: String(status) }, seconds);
  }

  observePdfPrint(seconds: number): void {
    this.pdfPrintSeconds.observe(seconds);
  }
}

/**
 * `/metrics` answers loopback clients that came straight in (not through a proxy, which would make every
 * visitor look local) and anyone showing `Authorization: Bearer METRICS_TOKEN`.
 */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): boolean {
  const authorization = request.headers.authorization ?? "";
  if (token && authorization.startsWith("Bearer ")) return sameSecret(authorization.slice(7), token);
  const forwarded =
    request.headers["x-forwarded-for"] ?? request.headers.forwarded ?? request.headers["x-real-ip"];
  const peer = request.socket.remoteAddress ?? "";
  return !forwarded && (peer === "::1" || /^(::ffff:)?127\./.test(peer));
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
