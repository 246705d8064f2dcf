import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { approveSignature } from "../../../commands/approve-signature.ts";
import { seal } from "../../../crypto/seal.ts";
import { createMailTransport } from "../../../mail/transports.ts";
import { startOutboxWorker } from "../../../mail/worker.ts";

/*
 * A seized server. Coordinators set up a letter hours before; organisations then sign (undisclosed and
 * listed, with JavaScript off and with the browser's sealed boxes, one of them listed only once others are),
 * confirm, ask for a new link, change a listing condition and withdraw at known moments, through the real
 * HTTP app behind a proxy (TRUST_PROXY=1) that names a distinctive client address. Then everything is taken: the SQLite file and WAL or a pg_dump, every file under DATA_DIR with
 * its name and modification time, the log at the default level and every response. Nothing may name an
 * undisclosed organisation or its address, nothing may hold the client's address in any form, and no time
 * stored anywhere may lie within an hour of a signer's moment, in any of the usual ways to write a time.
 */

const CLIENT = "203.0.113.77";
const HOUR = 3_600_000;

const secrets = {
  quietName: "Quiet Lotus Collective",
  quietEmail: "quiet.lotus@example.net",
  quietContact: "Daw Seizure Test",
  sealedName: "Hidden Harbour Association",
  sealedEmail: "hidden.harbour@example.net",
  sealedContact: "U Sealed Contact",
  /** The log commitment's salt the browser seals into the record: readable nowhere else. */
  sealedSalt: randomBytes(32),
};

/** The moments, well inside their UTC days, so that a day-only value is more than an hour from each. */
const at = {
  setUp: new Date("2026-04-06T03:00:00.000Z"),
  quietSigns: new Date("2026-04-06T10:17:23.456Z"),
  sealedSigns: new Date("2026-04-06T11:42:05.789Z"),
  listedSigns: new Date("2026-04-06T12:08:44.321Z"),
  quietConfirms: new Date("2026-04-06T13:05:31.012Z"),
  listedConfirms: new Date("2026-04-06T13:30:00.500Z"),
  coordinatorApproves: new Date("2026-04-06T18:40:00.000Z"),
  sealedResends: new Date("2026-04-15T10:33:12.345Z"),
  sealedConfirms: new Date("2026-04-15T11:48:09.876Z"),
  sealedChangesCondition: new Date("2026-04-15T12:04:37.654Z"),
  quietWithdraws: new Date("2026-04-15T12:21:54.210Z"),
  seizure: new Date("2026-04-15T19:00:00.000Z"),
};
const SIGNER_MOMENTS = [
  at.quietSigns,
  at.sealedSigns,
  at.listedSigns,
  at.quietConfirms,
  at.listedConfirms,
  at.sealedResends,
  at.sealedConfirms,
  at.sealedChangesCondition,
  at.quietWithdraws,
];

/** Every form of the client's address a careless store could keep. */
function addressForms(ip: string): string[] {
  const octets = ip.split(".").map(Number);
  const integer = octets.reduce((n, o) => n * 256 + o, 0);
  const hex = octets.map((o) => o.toString(16).padStart(2, "0")).join("");
  return [ip, `::ffff:${ip}`, [...octets].reverse().join("."), String(integer), hex, hex.toUpperCase()];
}

/** The undisclosed organisations' traces, as typed and in NFC and NFD. */
function identityNeedles(): string[] {
  const values = [
    secrets.quietName,
    secrets.quietEmail,
    secrets.quietContact,
    secrets.sealedName,
    secrets.sealedEmail,
    secrets.sealedContact,
    "quiet.lotus",
    "hidden.harbour",
    ...(["base64", "base64url", "hex"] as const).map((encoding) => secrets.sealedSalt.toString(encoding)),
  ];
  return [...new Set(values.flatMap((v) => [v, v.normalize("NFC"), v.normalize("NFD")]))];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Every time written in the text, in ISO-8601, compact, RFC 2822 or epoch (seconds or milliseconds). */
function timesIn(text: string): { written: string; time: number }[] {
  const found: { written: string; time: number }[] = [];
  const add = (written: string, time: number) => {
    if (!Number.isNaN(time)) found.push({ written, time });
  };
  for (const m of text.matchAll(/(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?/g)) {
    add(m[0], Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), +(m[7] ?? "0").slice(0, 3)));
  }
  for (const m of text.matchAll(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?/g)) {
    add(m[0], Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0)));
  }
  for (const m of text.matchAll(
    /(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})/g,
  )) {
    add(m[0], Date.UTC(+m[3]!, MONTHS.indexOf(m[2]!), +m[1]!, +m[4]!, +m[5]!));
  }
  for (const m of text.matchAll(/(?<!\d)1\d{9}(\d{3})?(?!\d)/g)) {
    add(m[0], m[1] === undefined ? Number(m[0]) * 1000 : Number(m[0]));
  }
  return found;
}

function nearSignerMoment(time: number): Date | undefined {
  return SIGNER_MOMENTS.find((moment) => Math.abs(moment.getTime() - time) < HOUR);
}

function entriesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? [full, ...entriesUnder(full)] : [full];
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`a seizure of the server on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("yields no undisclosed name or address, no client address, and no time within an hour of a signer's moment", async () => {
      const { app, deps, logs, clock } = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "http://localhost:3000",
        TRUST_PROXY: "1",
      });
      clock.now = at.setUp;
      const letter = await insertSignableLetter(store.current().db, { moderation: true });
      const worker = startOutboxWorker({
        db: store.current().db,
        dialect: dialect.name,
        transport: createMailTransport({
          smtpUrl: undefined,
          dataDir: store.dataDir(),
          from: "l@example.org",
        }),
        log: deps.log,
        now: () => clock.now,
        pollMs: 3_600_000,
        announce: () => {},
      });
      await worker.drain();

      const served: string[] = [];
      const request = async (
        app: FastifyInstance,
        method: "GET" | "POST",
        url: string,
        form?: { cookie: string; fields: Record<string, string> },
      ) => {
        const res = await app.inject({
          method,
          url,
          headers: {
            "x-forwarded-for": CLIENT,
            ...(form ? { cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" } : {}),
          },
          ...(form ? { payload: new URLSearchParams(form.fields).toString() } : {}),
        });
        served.push(JSON.stringify(res.headers), res.body);
        return res;
      };
      /** Opens a page with a form, lets a person's time pass, and posts the form back at `moment`. */
      const submit = async (
        pageUrl: string,
        postUrl: string,
        moment: Date,
        fields: Record<string, string>,
      ) => {
        clock.now = new Date(moment.getTime() - 60_000);
        const page = await request(app, "GET", pageUrl);
        const session = formSession(page);
        const ts = /name="ts" value="([^"]+)"/.exec(page.body)?.[1];
        clock.now = moment;
        return request(app, "POST", postUrl, {
          cookie: session.cookie,
          fields: { _csrf: session.csrf, ...(ts ? { ts } : {}), ...fields },
        });
      };
      /**
       * The worker sends what the action queued, woken by its commit or else by the drain a few seconds
       * later; returns the link it carried.
       */
      const mailedLink = async (moment: Date): Promise<string> => {
        const pending = await store
          .current()
          .db.selectFrom("outbox_messages")
          .select("text_body")
          .where("state", "=", "pending")
          .execute();
        expect(pending).toHaveLength(1);
        clock.now = new Date(moment.getTime() + 3_000);
        await worker.drain();
        const unsent = await store
          .current()
          .db.selectFrom("outbox_messages")
          .select("id")
          .where("state", "in", ["pending", "sending"])
          .execute();
        expect(unsent).toEqual([]);
        return /http:\/\/localhost:3000(\/letters\/\S+\/confirm\/[A-Za-z0-9_-]+)/.exec(
          pending[0]!.text_body,
        )![1]!;
      };
      const signUrl = `/letters/${letter.slug}/sign`;
      const confirm = (link: string, moment: Date) => submit(link, link, moment, {});

      // An undisclosed organisation without JavaScript: the server seals what it typed.
      const quiet = await submit(signUrl, signUrl, at.quietSigns, {
        visibility: "undisclosed",
        name: secrets.quietName,
        category: "Myanmar",
        country: "MM",
        contact_person: secrets.quietContact,
        email: secrets.quietEmail,
        consent: "yes",
      });
      expect(quiet.statusCode).toBe(303);
      const quietLink = await mailedLink(at.quietSigns);

      // An organisation with JavaScript that asks to be listed once five others are: undisclosed until then,
      // its identity and contact sealed by the browser.
      const sealed = await submit(signUrl, signUrl, at.sealedSigns, {
        visibility: "threshold",
        threshold: "5",
        kind: "organisation",
        sealed_identity: await seal(
          JSON.stringify({
            v: 1,
            kind: "organisation",
            name: secrets.sealedName,
            country: "MM",
            salt: secrets.sealedSalt.toString("base64"),
          }),
          letter.keyPair.publicKey,
        ),
        identity_salt: secrets.sealedSalt.toString("base64"),
        sealed_contact: await seal(
          JSON.stringify({ v: 1, contact_person: secrets.sealedContact, email: secrets.sealedEmail }),
          letter.keyPair.publicKey,
        ),
        email: secrets.sealedEmail,
        consent: "yes",
      });
      expect(sealed.statusCode).toBe(303);
      const firstSealedLink = await mailedLink(at.sealedSigns);

      // A listed organisation: its public name may be anywhere, its moment may not.
      const listed = await submit(signUrl, signUrl, at.listedSigns, {
        visibility: "listed",
        name: "Open Bamboo Network",
        category: "Myanmar",
        country: "MM",
        contact_person: "Ko Listed",
        email: "open.bamboo@example.org",
        consent: "yes",
      });
      expect(listed.statusCode).toBe(303);
      const listedLink = await mailedLink(at.listedSigns);

      const quietReceipt = await confirm(quietLink, at.quietConfirms);
      expect(quietReceipt.statusCode).toBe(200);
      expect((await confirm(listedLink, at.listedConfirms)).statusCode).toBe(200);

      // A coordinator approves hours later: that moment is theirs and is kept.
      const quietRow = await store
        .current()
        .db.selectFrom("signatures")
        .select("id")
        .where("confirmed_at", "is not", null)
        .where("visibility", "=", "undisclosed")
        .executeTakeFirstOrThrow();
      await approveSignature(deps, { actor: "cli", signatureId: quietRow.id }, at.coordinatorApproves);

      // Nine days on, the sealed signer's link has run out: it asks for a new one and confirms with it.
      const resent = await submit(firstSealedLink, `${firstSealedLink}/resend`, at.sealedResends, {
        email: secrets.sealedEmail,
      });
      expect(resent.statusCode).toBe(200);
      const sealedLink = await mailedLink(at.sealedResends);
      const sealedReceipt = await confirm(sealedLink, at.sealedConfirms);
      expect(sealedReceipt.statusCode).toBe(200);
      // …and changes its condition through its manage link: a signer's moment like the others.
      const sealedManage = /class="manage-link">http:\/\/localhost:3000([^<]+)</.exec(
        sealedReceipt.body,
      )![1]!;
      const changed = await submit(sealedManage, `${sealedManage}/condition`, at.sealedChangesCondition, {
        visibility: "threshold",
        threshold: "12",
        disclose_on: "2026-09-01",
      });
      expect(changed.statusCode).toBe(303);

      // The quiet organisation withdraws through the manage link on its receipt.
      const manage = /class="manage-link">http:\/\/localhost:3000([^<]+)</.exec(quietReceipt.body)![1]!;
      const withdrawn = await submit(manage, `${manage}/withdraw`, at.quietWithdraws, { confirm: "yes" });
      expect(withdrawn.statusCode).toBe(303);

      clock.now = at.seizure;
      await request(app, "GET", `/api/v1/letters/${letter.slug}`);
      await request(app, "GET", `/letters/${letter.slug}`);
      await worker.stop();
      await app.close();

      const states = await store
        .current()
        .db.selectFrom("signatures")
        .select(["visibility", "state", "disclose_threshold"])
        .orderBy("visibility")
        .orderBy("state")
        .execute();
      expect(states).toEqual([
        { visibility: "listed", state: "confirmed", disclose_threshold: null },
        { visibility: "undisclosed", state: "confirmed", disclose_threshold: 12 },
        { visibility: "undisclosed", state: "withdrawn", disclose_threshold: null },
      ]);

      // Take everything.
      const entries = entriesUnder(store.dataDir());
      const files = entries.filter((f) => statSync(f).isFile());
      const sources: [string, string][] = [
        ["file names", entries.map((f) => path.relative(store.dataDir(), f)).join("\n")],
        ...files.map((f): [string, string] => [f, readFileSync(f).toString("latin1")]),
        ...files.map((f): [string, string] => [`${f} as UTF-8`, readFileSync(f).toString("utf8")]),
        ["log", logs.text],
        // The sign form's stamp (when the page was served, signed, so the server can tell a person from a
        // program by how long the form took) goes to the signer's own browser and back, and is stored nowhere.
        ...served.map((body, i): [string, string] => [
          `response ${i}`,
          body.replace(/name="ts" value="[^"]*"/g, 'name="ts" value=""'),
        ]),
      ];
      if (dialect.name === "postgres") {
        const dump = execFileSync("pg_dump", ["--no-owner", "--dbname", store.databaseUrl()!], {
          maxBuffer: 256 * 1024 * 1024,
        }).toString("utf8");
        expect(dump).toContain("signer_events");
        sources.push(["pg_dump", dump]);
      } else {
        expect(files.some((f) => f.endsWith("undersigned.sqlite"))).toBe(true);
      }

      const found: string[] = [];
      for (const [where, text] of sources) {
        for (const needle of [...identityNeedles(), ...addressForms(CLIENT)]) {
          if (text.includes(needle)) found.push(`"${needle}" in ${where}`);
        }
        for (const { written, time } of timesIn(text)) {
          const moment = nearSignerMoment(time);
          if (moment) found.push(`${written} (near ${moment.toISOString()}) in ${where}`);
        }
      }
      // The mailbox keeps nothing past the day it was written in, and dates itself by the day only.
      for (const entry of entries.filter((e) => e.includes(`${path.sep}mailbox`))) {
        const mtime = statSync(entry).mtime;
        if (mtime.getTime() % 86_400_000 !== 0) found.push(`mtime ${mtime.toISOString()} of ${entry}`);
      }
      expect(found).toEqual([]);

      // The scan can find what it looks for: the coordinator's moment is there, and so are the day-only ones.
      const everything = sources.map(([, text]) => text).join("\n");
      expect(timesIn(everything).some((t) => t.time === at.coordinatorApproves.getTime())).toBe(true);
      expect(everything).toContain("2026-04-15T00:00:00.000Z");
    });
  });
}
