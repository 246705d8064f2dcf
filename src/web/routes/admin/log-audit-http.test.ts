import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { insertUser } from "../../../../test/accounts.ts";
import { buildTestApp } from "../../../../test/app.ts";
import { signIn, signInToCampaign } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { insertEndorsement } from "../../../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../../../test/sign-on-factory.ts";
import { integrateLog } from "../../../commands/integrate-log.ts";
import { openSealed } from "../../../crypto/seal.ts";
import type { LogAudit } from "../../../domain/tlog/audit.ts";
import { utf8 } from "../../../domain/tlog/bytes.ts";
import { commitment } from "../../../domain/tlog/entries.ts";
import { auditLetterLog } from "../../../queries/audit-letter-log.ts";
import { appendToLog, ensureLogKey } from "../../../store/transparency-log.ts";
import type { SealedRow } from "../../browser/audit-log.ts";
import { CONSOLE_BUNDLES } from "../../browser/bundle.ts";
import { assetUrl } from "../../http/static-assets.ts";

/*
 * The console's log audit page: what it sends (the letter's sealed undisclosed records and its log entries,
 * nothing opened), to whom, and that its shipped script, given what the page carries and what the key opens,
 * reaches the verdict of `undersigned audit-count`, clean and padded. open-sealed.js's part (opening each
 * record with the key) is done here with the CLI's openSealed.
 */

type Bundle = {
  auditInPage(
    letter: string,
    entries: [number, string][],
    rows: SealedRow[],
    opened: Map<number, { salt?: unknown }>,
  ): LogAudit;
};
const shipped = (): Promise<Bundle> => import(CONSOLE_BUNDLES["audit-log"].bundle);
const now = new Date("2026-03-02T10:00:00.000Z");

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
const attribute = (html: string, name: string) => {
  const match = new RegExp(`${name}="([^"]*)"`).exec(html);
  return match ? unescapeHtml(match[1]!) : undefined;
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the console's log audit on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("sends reviewers the sealed records and entries, and its script reaches the CLI's verdict", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      const { signer } = await ensureLogKey(db, { origin: "example.org/log", configuredKey: undefined }, now);
      const key = letter.keyPair.publicKey;
      for (const name of ["Quiet One", "Quiet Two"])
        await insertEndorsement(db, letter, key, { name, visibility: "undisclosed", state: "approved" });
      await insertEndorsement(db, letter, key, { name: "Open One", state: "approved" });
      await insertEndorsement(db, letter, key, {
        name: "Quiet Waiting",
        visibility: "undisclosed",
        state: "confirmed",
      });
      await integrateLog({ db, signer }, now);

      const reviewer = await signInToCampaign(app, store.current(), "reviewer", letter.campaignId);
      const page = async () => {
        const res = await app.inject({
          method: "GET",
          url: `/admin/letters/${letter.id}/log-audit`,
          headers: { cookie: reviewer },
        });
        expect(res.statusCode).toBe(200);
        return res;
      };
      const first = await page();
      expect(first.headers["content-security-policy"]).toContain("'wasm-unsafe-eval'");
      expect(first.body).toContain(`<script type="module" src="${assetUrl("admin/audit-log.js")}">`);
      expect(first.body).toContain(`href="/admin/letters/${letter.id}/log-audit" aria-current="page"`);
      // Sealed as stored, never opened by the server: no name of an undisclosed endorsement in the page.
      expect(first.body).not.toContain("Quiet One");
      expect(first.body).toContain("3 sealed records wait for the key.");

      // What the browser does with it: open each record with the key, then the shipped script's rule.
      const inPage = async (html: string) => {
        const section = /<section[^>]*data-log-audit[^>]*>/.exec(html)![0];
        const rows: SealedRow[] = [...html.matchAll(/<tr [^>]*data-id="[^"]*"[^>]*>/g)].map(([tr]) => ({
          id: Number(attribute(tr, "data-id")),
          state: attribute(tr, "data-state")!,
          counted: attribute(tr, "data-counted") === "1",
          sealed: attribute(tr, "data-sealed-identity")!,
          storedCommit: attribute(tr, "data-commit") || null,
        }));
        const opened = new Map<number, { salt?: unknown }>();
        for (const row of rows)
          opened.set(row.id, JSON.parse(await openSealed(row.sealed, letter.keyPair)) as { salt?: unknown });
        const { auditInPage } = await shipped();
        return auditInPage(
          attribute(section, "data-letter")!,
          JSON.parse(attribute(section, "data-entries")!),
          rows,
          opened,
        );
      };
      const cli = () => auditLetterLog(store.current(), { letterSlug: letter.slug, keyPair: letter.keyPair });
      const clean = await inPage(first.body);
      expect(clean).toMatchObject({ counting: 2, matched: 2, waiting: 0, problems: [] });
      expect(clean).toEqual(await cli());

      // The server pads the count with a commitment to nothing: the page's verdict is the CLI's.
      const { log_name } = await db
        .selectFrom("letters")
        .select("log_name")
        .where("id", "=", letter.id)
        .executeTakeFirstOrThrow();
      await db.transaction().execute((trx) =>
        appendToLog(
          trx,
          signer,
          [
            {
              entry: {
                type: "undersigned/endorsement/v1",
                letter: log_name!,
                visibility: "undisclosed",
                signer: "organisation",
                text: `${"A".repeat(43)}=`,
                day: "2026-03-02",
                commit: commitment(randomBytes(32), utf8("nothing")),
              },
              letterId: letter.id,
              signatureId: null,
            },
          ],
          now,
        ),
      );
      const padded = await inPage((await page()).body);
      expect(padded.counting).toBe(3);
      expect(padded.problems).toEqual([
        expect.stringMatching(/^entry \d+: no sealed record of this letter makes its commitment$/),
      ]);
      expect(padded).toEqual(await cli());
      // A record that does not open with the key is reported, as the CLI reports it.
      const rows = await db
        .selectFrom("signatures")
        .select("id")
        .where("letter_id", "=", letter.id)
        .where("visibility", "=", "undisclosed")
        .execute();
      const { auditInPage } = await shipped();
      expect(
        auditInPage(
          log_name!,
          [],
          [{ id: rows[0]!.id, state: "approved", counted: true, sealed: "x", storedCommit: null }],
          new Map(),
        ).problems,
      ).toEqual([`signature ${rows[0]!.id}: its sealed record does not open with this key`]);
    });

    it("is refused to someone outside the letter's campaign", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir());
      const { db } = store.current();
      const letter = await insertSignableLetter(db);
      await insertEndorsement(db, letter, letter.keyPair.publicKey, {
        name: "Quiet One",
        visibility: "undisclosed",
        state: "approved",
      });
      const sealed = (await db.selectFrom("signatures").select("sealed_identity").executeTakeFirstOrThrow())
        .sealed_identity!;
      const outsider = await signIn(
        app,
        await insertUser(store.current(), { role: "coordinator", campaigns: [] }),
      );
      const res = await app.inject({
        method: "GET",
        url: `/admin/letters/${letter.id}/log-audit`,
        headers: { cookie: outsider },
      });
      expect([403, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain(sealed);
      const stranger = await app.inject({ method: "GET", url: `/admin/letters/${letter.id}/log-audit` });
      expect(stranger.statusCode).toBe(303);
    });
  });
}
