import type { FastifyInstance } from "fastify";
import parsePrometheusTextFormat, { type PrometheusFamily } from "parse-prometheus-text-format";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, openAndConfirm, type TestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { mailedTextTo, postSignForm, signFormOf } from "../../../../test/sign-form.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { approveSignature } from "../../../commands/approve-signature.ts";
import { enqueueMail } from "../../../mail/outbox.ts";

/*
 * The checks: /metrics is Prometheus text a Prometheus parser reads, answered to loopback clients
 * that came straight in and to the bearer token, 404 to anyone else; and nothing in it moves when an
 * undisclosed signer signs and confirms (what a signer causes counts at the batched release, what a
 * coordinator does at once).
 */

const TOKEN = "metrics-token-for-the-test-0123456789";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`/metrics on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let test: TestApp;
    let app: FastifyInstance;

    beforeAll(async () => {
      test = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "http://localhost:3000",
        METRICS_TOKEN: TOKEN,
      });
      app = test.app;
      return () => app.close();
    });

    let lastScrape = "";
    async function scrape(): Promise<PrometheusFamily[]> {
      const res = await app.inject({ method: "GET", url: "/metrics" });
      expect(res.statusCode).toBe(200);
      lastScrape = res.body;
      expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
      return parsePrometheusTextFormat(res.body);
    }

    const value = (families: PrometheusFamily[], name: string, labels: Record<string, string> = {}) =>
      Number(
        families
          .find((f) => f.name === name)
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value,
      );

    /** Every line but those of the scrapes' own requests, which move at each scrape. */
    const withoutScrapes = (text: string) =>
      text
        .split("\n")
        .filter((line) => !line.includes('route="/metrics"'))
        .join("\n");

    it("answers loopback clients and the bearer token, and nobody else", async () => {
      const from = (remoteAddress: string, headers: Record<string, string> = {}) =>
        app.inject({ method: "GET", url: "/metrics", remoteAddress, headers });
      expect((await from("127.0.0.1")).statusCode).toBe(200);
      expect((await from("::1")).statusCode).toBe(200);
      expect((await from("203.0.113.9")).statusCode).toBe(404);
      // Through a reverse proxy on the same machine every visitor would look local.
      expect((await from("127.0.0.1", { "x-forwarded-for": "203.0.113.9" })).statusCode).toBe(404);
      expect((await from("203.0.113.9", { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(200);
      expect((await from("203.0.113.9", { authorization: `Bearer ${TOKEN}x` })).statusCode).toBe(404);
      expect((await from("127.0.0.1", { authorization: "Bearer wrong" })).statusCode).toBe(404);
      const refused = await from("203.0.113.9");
      expect(refused.body).not.toContain("undersigned_");
    });

    it("reports requests by route, endorsements as the public counts them, and the outbox", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      await app.inject({ method: "GET", url: `/letters/${letter.slug}` });
      await enqueueMail(
        store.current().db,
        { purpose: "password_reset", to: "coordinator@example.org", subject: "Reset", text: "…" },
        new Date(test.clock.now.getTime() - 90_000),
        "localhost",
      );
      const families = await scrape();
      const requests = families.find((f) => f.name === "undersigned_http_request_duration_seconds");
      expect(requests?.type).toBe("HISTOGRAM");
      // The parser folds a histogram's labelled series into one; its lines say which route was answered.
      expect(lastScrape).toContain(
        'undersigned_http_request_duration_seconds_count{method="GET",route="/letters/:slug",status="200"} 1\n',
      );
      expect(value(families, "undersigned_outbox_messages", { state: "pending" })).toBe(1);
      expect(value(families, "undersigned_outbox_oldest_age_seconds")).toBe(90);
      expect(value(families, "undersigned_counted_endorsements", { visibility: "undisclosed" })).toBe(0);
      for (const name of [
        "undersigned_pdf_print_seconds",
        "undersigned_listed_endorsements",
        "undersigned_outbox_deferred_messages",
        "undersigned_last_count_release_timestamp_seconds",
        "undersigned_db_pool_connections",
        "undersigned_db_pool_waiting",
      ])
        expect(families.map((f) => f.name)).toContain(name);
      // The next test moves the clock, and with it this mail's age.
      await store.current().db.deleteFrom("outbox_messages").execute();
      // The scrape's own queries are not counted as waiting for a connection.
      expect(value(families, "undersigned_db_pool_waiting")).toBe(0);
      if (dialect.name === "postgres")
        expect(value(families, "undersigned_db_pool_connections", { state: "max" })).toBe(10);
    });

    it("does not move when an undisclosed signer signs and confirms; a coordinator's approval counts", async () => {
      const letter = await insertSignableLetter(store.current().db, { moderation: false });
      await scrape();
      const before = lastScrape;

      const form = await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign` });
      // What the form's page loads, as a browser would.
      for (const asset of form.body.match(/\/assets\/[^"]+/g) ?? [])
        await app.inject({ method: "GET", url: asset });
      expect(form.body).toMatch(/\/assets\//);
      test.clock.now = new Date(test.clock.now.getTime() + 10_000);
      const signed = await postSignForm(app, letter.slug, signFormOf(form), {
        kind: "organisation",
        visibility: "undisclosed",
        name: "An Organisation Nobody May Link To A Moment",
        category: "Myanmar",
        country: "MM",
        email: "quiet@example.org",
        consent: "yes",
      });
      expect(signed.statusCode).toBe(303);
      const link = /http:\/\/localhost:3000(\/letters\/\S+)/.exec(
        await mailedTextTo(store.current().db, "quiet@example.org"),
      )![1]!;
      const { receipt } = await openAndConfirm(app, link);
      expect(receipt.statusCode).toBe(200);

      await scrape();
      expect(withoutScrapes(lastScrape)).toBe(withoutScrapes(before));

      // A coordinator's approval counts at once: their moment, not the signer's.
      const signature = await store
        .current()
        .db.selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .executeTakeFirstOrThrow();
      await approveSignature(test.deps, { actor: "cli", signatureId: signature.id }, test.clock.now);
      const approved = await scrape();
      const undisclosed = { visibility: "undisclosed" };
      expect(value(approved, "undersigned_counted_endorsements", undisclosed)).toBe(
        value(parsePrometheusTextFormat(before), "undersigned_counted_endorsements", undisclosed) + 1,
      );
    });
  });
}
