import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp, formSession, openAndConfirm } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { signatureOf } from "../../../../test/signature-rows.ts";
import { startSmtpPeer } from "../../../../test/smtp-peer.ts";
import { approveSignature } from "../../../commands/approve-signature.ts";
import { openSealed } from "../../../crypto/seal.ts";
import { createMailTransport } from "../../../mail/transports.ts";
import { startOutboxWorker } from "../../../mail/worker.ts";

/*
 * Non-negotiable 1, proven: an undisclosed organisation signs (its name typed in Zawgyi), confirms from the
 * mail a real SMTP peer received, is approved, and then every byte the system wrote or served is searched
 * for its name, website, contact person and email, in Unicode, Zawgyi, NFC and NFD forms: on SQLite the
 * database file and its WAL, on PostgreSQL a pg_dump of the whole database, and on both everything under
 * DATA_DIR, the outbox, the audit log, the log output and every response. The same for a threshold
 * endorsement before it is listed.
 */

const ZAWGYI_NAME = "ျမန္မာ လူ႔အခြင့္အေရး ကြန္ရက္";
const UNICODE_NAME = "မြန်မာ လူ့အခွင့်အရေး ကွန်ရက်";
const secret = {
  name: UNICODE_NAME,
  nameAlt: "Thanlwin Riverside Solidarity",
  website: "https://thanlwin-solidarity.example.net",
  contact: "Daw Leaktest Khin",
  email: "leak.test.undisclosed@example.net",
};

/** Every form in which a trace could appear. */
function needles(): string[] {
  const forms = new Set<string>();
  for (const value of [
    ...Object.values(secret),
    ZAWGYI_NAME,
    "thanlwin-solidarity",
    "leak.test.undisclosed",
  ]) {
    for (const form of [value, value.normalize("NFC"), value.normalize("NFD")]) forms.add(form);
  }
  return [...forms];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The whole database as PostgreSQL would back it up: schema and every row, in plain SQL. */
function pgDump(url: string): Buffer {
  return execFileSync("pg_dump", ["--no-owner", "--dbname", url], { maxBuffer: 256 * 1024 * 1024 });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(
    `an undisclosed endorsement leaves no trace on ${dialect.label} (database, outbox, logs, mailbox, public pages)`,
    () => {
      const store = useStore(dialect.name);

      // A threshold endorsement ("list us once N others are") is undisclosed in every respect until listed.
      for (const choice of ["undisclosed", "threshold"] as const)
        it(`is sealed, confirmed over SMTP, approved and counted, and nothing identifying it is found anywhere (${choice})`, async () => {
          const peer = await startSmtpPeer();
          const { app, deps, logs, clock } = await buildTestApp(store.current(), store.dataDir(), {
            BASE_URL: "http://localhost:3000",
            // The most verbose level the app has: per-request lines included, so they are scanned too.
            LOG_LEVEL: "trace",
          });
          const letter = await insertSignableLetter(store.current().db, { moderation: true });
          const served: string[] = [];
          const get = async (url: string) => {
            const res = await app.inject({ method: "GET", url });
            served.push(res.body);
            return res;
          };

          const form = await app.inject({ method: "GET", url: `/letters/${letter.slug}/sign?lang=my` });
          const session = formSession(form);
          const ts = /name="ts" value="([^"]+)"/.exec(form.body)![1]!;
          clock.now = new Date(clock.now.getTime() + 30_000);
          const post = (fields: Record<string, string>) =>
            app.inject({
              method: "POST",
              url: `/letters/${letter.slug}/sign?lang=my`,
              headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" },
              payload: new URLSearchParams({ _csrf: session.csrf, ts, ...fields }).toString(),
            });
          const fields = {
            visibility: choice,
            ...(choice === "threshold" ? { threshold: "2" } : {}),
            name: ZAWGYI_NAME,
            name_alt: secret.nameAlt,
            website: secret.website,
            category: "Myanmar",
            country: "MM",
            contact_person: secret.contact,
            email: secret.email,
            consent: "yes",
          };
          // The Zawgyi name is shown converted for checking (this page goes to the signer only), then sent again.
          const check = await post(fields);
          expect(check.statusCode).toBe(200);
          expect(check.body).toContain(UNICODE_NAME);
          const signed = await post({ ...fields, name: UNICODE_NAME });
          expect(signed.statusCode).toBe(303);

          const worker = startOutboxWorker({
            db: store.current().db,
            dialect: dialect.name,
            transport: createMailTransport({
              smtpUrl: peer.url,
              dataDir: store.dataDir(),
              from: "letters@example.org",
            }),
            log: deps.log,
            now: () => clock.now,
            pollMs: 60_000,
            announce: () => {},
          });
          await worker.drain();
          await worker.stop();
          expect(peer.accepted).toHaveLength(1);
          const mail = peer.accepted[0]!;
          expect(mail.to && "text" in mail.to ? mail.to.text : "").toBe(secret.email);
          const link = /http:\/\/localhost:3000(\/letters\/\S+)/.exec(mail.text ?? "")![1]!;
          const { page: confirmPage, receipt } = await openAndConfirm(app, link);
          served.push(confirmPage.body, receipt.body);
          expect(receipt.body).toContain("သော့ခတ်ထား");

          const row = await signatureOf(store.current().db, letter.id);
          expect(row.disclose_threshold).toBe(choice === "threshold" ? 2 : null);
          // The coordinators, with the key, can read everything that was typed.
          expect(JSON.parse(await openSealed(row.sealed_identity!, letter.keyPair))).toMatchObject({
            name: UNICODE_NAME,
            name_alt: secret.nameAlt,
            website: secret.website,
          });
          expect(JSON.parse(await openSealed(row.sealed_contact!, letter.keyPair))).toMatchObject({
            contact_person: secret.contact,
            email: secret.email,
          });
          await approveSignature(deps, { actor: "cli", signatureId: row.id }, clock.now);

          const api = await get(`/api/v1/letters/${letter.slug}`);
          expect(api.json().counts).toMatchObject({ total: 1, undisclosed: 1, listed: 0 });
          for (const url of [
            "/",
            "/?lang=my",
            `/letters/${letter.slug}`,
            `/letters/${letter.slug}?lang=my`,
            `/letters/${letter.slug}/signatories`,
            `/letters/${letter.slug}/signatories.csv`,
            "/api/v1/letters",
            link.replace(/\?.*/, ""),
          ]) {
            await get(url);
          }
          const manage = /class="manage-link">http:\/\/localhost:3000([^<]+)</.exec(receipt.body)![1]!;
          await get(manage);

          const outbox = JSON.stringify(
            await store.current().db.selectFrom("outbox_messages").selectAll().execute(),
          );
          const audit = JSON.stringify(
            await store.current().db.selectFrom("audit_entries").selectAll().execute(),
          );
          // Everything under DATA_DIR: on SQLite the database file and its WAL, on both the local mailbox.
          const written = filesUnder(store.dataDir());
          const database: [string, Buffer][] =
            dialect.name === "sqlite"
              ? written.filter((f) => f.includes("undersigned.sqlite")).map((f) => [f, readFileSync(f)])
              : [["pg_dump", pgDump(store.databaseUrl()!)]];
          expect(database.length).toBeGreaterThanOrEqual(1);
          // The dump must hold the endorsement for its absence of names to mean anything.
          const databaseText = database.map(([, bytes]) => bytes.toString("utf8")).join("");
          expect(databaseText).toContain(row.sealed_identity!.slice(0, 40));
          const sources: [string, Buffer][] = [
            ...database,
            ...written
              .filter((f) => !f.includes("undersigned.sqlite"))
              .map((f): [string, Buffer] => [f, readFileSync(f)]),
            ["outbox rows", Buffer.from(outbox)],
            ["audit entries", Buffer.from(audit)],
            ["logs", Buffer.from(logs.text)],
            ...served.map((body, i): [string, Buffer] => [`response ${i}`, Buffer.from(body)]),
          ];
          const found: string[] = [];
          for (const [where, bytes] of sources) {
            for (const needle of needles()) {
              if (bytes.includes(Buffer.from(needle, "utf8"))) found.push(`${needle} in ${where}`);
            }
          }
          expect(found).toEqual([]);
          await app.close();
          await peer.close();
        });
    },
  );
}
