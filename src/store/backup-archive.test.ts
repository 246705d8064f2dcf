import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandDeps } from "../../test/accounts.ts";
import { LogCapture } from "../../test/app.ts";
import { createScratchDatabase, DIALECTS, useStore } from "../../test/databases.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { confirmSignature } from "../commands/confirm-signature.ts";
import { signLetter } from "../commands/sign-letter.ts";
import { openSealed } from "../crypto/seal.ts";
import { createLogger } from "../log.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { createMailTransport } from "../mail/transports.ts";
import { startOutboxWorker } from "../mail/worker.ts";
import { BackupError, restoreBackup, writeBackup } from "./backup-archive.ts";
import { openStore, type Store } from "./db.ts";

/*
 * The check: a backup taken while endorsements keep arriving restores, on both databases, with every
 * table's rows equal to the moment of the snapshot and every sealed record still opening with the coalition
 * key; the backup file holds no readable address; after the restore, mails already sent are not sent again
 * and those still waiting are sent once.
 */

const NOW = new Date("2026-03-01T09:00:00.000Z");
const postgresUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";
const address = (i: number) => `office-${i}@signers.example.net`;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`backup and restore on ${dialect.label}`, () => {
    const source = useStore(dialect.name);
    const scratch = mkdtempSync(path.join(os.tmpdir(), "undersigned-backup-"));
    const restoredDir = path.join(scratch, "restored-data");
    let restored: Store | undefined;
    let dropRestored: (() => Promise<void>) | undefined;
    let restoredUrl: string | undefined;
    let peer: SmtpPeer;
    let identity: string;
    let recipient: string;
    let signed = 0;

    const deps = () => commandDeps(source.current(), source.dataDir(), { SIGN_LIMIT_PER_PREFIX: "1000000" });

    /** One endorsement, every third undisclosed, confirmed from its mail as the signer would. */
    async function signAndConfirm(slug: string): Promise<void> {
      const i = ++signed;
      const undisclosed = i % 3 === 0;
      const result = await signLetter(
        deps(),
        {
          slug,
          form: {
            consent: "yes",
            email: address(i),
            visibility: undisclosed ? "undisclosed" : "listed",
            name: `Backup Test Organisation ${i}`,
            category: "Myanmar",
            country: "MM",
          },
          locale: "en",
          ip: `10.${(i >> 8) & 255}.${i & 255}.1`,
        },
        NOW,
      );
      if (result.outcome !== "sent") throw new Error(`sign-on refused: ${JSON.stringify(result)}`);
      const mail = await source
        .current()
        .db.selectFrom("outbox_messages")
        .select("text_body")
        .where("to_address", "=", address(i))
        .executeTakeFirstOrThrow();
      const token = /\/confirm\/([A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
      await confirmSignature(deps(), { slug, token }, NOW);
    }

    function sendDue(store: Store, dataDir: string) {
      const worker = startOutboxWorker({
        db: store.db,
        dialect: store.dialect,
        transport: createMailTransport({ smtpUrl: peer.url, dataDir, from: "Undersigned <l@example.org>" }),
        log: createLogger("warn", new LogCapture()),
        now: () => NOW,
        announce: () => {},
        pollMs: 60_000,
      });
      return worker.drain().finally(() => worker.stop());
    }

    beforeAll(async () => {
      peer = await startSmtpPeer();
      identity = await generateX25519Identity();
      recipient = await identityToRecipient(identity);
      writeFileSync(path.join(scratch, "key.txt"), `# backup key\n${identity}\n`);
      if (dialect.name === "postgres") {
        const scratchDb = await createScratchDatabase(postgresUrl);
        restoredUrl = scratchDb.url;
        dropRestored = scratchDb.drop;
      }
    });

    afterAll(async () => {
      await restored?.close();
      await dropRestored?.();
      await peer.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it("restores a snapshot taken under signing load: equal rows, sealed records open, mail sent once", async () => {
      const { db } = source.current();
      const letter = await insertSignableLetter(db, { moderation: false });
      for (let i = 0; i < 6; i++) await signAndConfirm(letter.slug);
      // A coordinator's mail already sent, which the restored server must not send again.
      await enqueueMail(
        db,
        { purpose: "password_reset", to: "coordinator@example.org", subject: "Reset", text: "…" },
        NOW,
        "letters.example.org",
      );
      await sendDue(source.current(), source.dataDir());
      const sentBefore = peer.accepted.map((mail) => mail.messageId);
      expect(sentBefore.length).toBeGreaterThanOrEqual(7);
      // Confirmation mails of the next endorsements wait in the outbox when the backup is taken.
      for (let i = 0; i < 3; i++) await signAndConfirm(letter.slug);
      mkdirSync(path.join(source.dataDir(), "deliveries"), { recursive: true });
      writeFileSync(path.join(source.dataDir(), "deliveries", "letter.pdf"), "%PDF-1.7 delivered\n");

      const before = await signatureCount(source.current());
      let loading = true;
      const load = (async () => {
        while (loading) await signAndConfirm(letter.slug);
      })();
      const sleep = () => new Promise((r) => setTimeout(r, 10));
      for (const started = signed + 3; signed < started; ) await sleep();
      const file = path.join(scratch, "backup.age");
      const location = { databaseUrl: source.databaseUrl(), dataDir: source.dataDir() };
      const summary = await writeBackup(location, { recipients: [recipient] }, file, NOW);
      // Keep signing a little after the snapshot, so the restored counts must be the snapshot's, not the end's.
      for (const settled = signed + 3; signed < settled; ) await sleep();
      loading = false;
      await load;
      const after = await signatureCount(source.current());
      expect(summary.files).toBe(1);

      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
      expect(bytes.includes("signers.example.net")).toBe(false);
      expect(bytes.includes("coordinator@example.org")).toBe(false);
      expect(bytes.includes("Backup Test Organisation")).toBe(false);

      const { manifest, files } = await restoreBackup(
        { databaseUrl: restoredUrl, dataDir: restoredDir },
        file,
        [identity],
      );
      expect(files).toBe(1);
      expect(readFileSync(path.join(restoredDir, "deliveries", "letter.pdf"), "utf8")).toBe(
        "%PDF-1.7 delivered\n",
      );
      restored = await openStore({ dataDir: restoredDir, databaseUrl: restoredUrl });
      const count = await signatureCount(restored);
      expect(count).toBe(manifest.rows.signatures);
      expect(count).toBeGreaterThan(before);
      expect(count).toBeLessThan(after);
      for (const [table, rows] of Object.entries(manifest.rows)) {
        const n = await restored.db
          .selectFrom(table as "signatures")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect([table, Number(n.n)]).toEqual([table, rows]);
      }
      const sealed = await restored.db
        .selectFrom("signatures")
        .select(["sealed_identity", "sealed_contact"])
        .where("visibility", "=", "undisclosed")
        .execute();
      expect(sealed.length).toBeGreaterThan(0);
      for (const row of sealed) {
        expect(await openSealed(row.sealed_identity!, letter.keyPair)).toContain("Backup Test Organisation");
        expect(await openSealed(row.sealed_contact!, letter.keyPair)).toContain("@signers.example.net");
      }

      const waiting = await restored.db
        .selectFrom("outbox_messages")
        .select("message_id")
        .where("state", "=", "pending")
        .execute();
      expect(waiting.length).toBeGreaterThanOrEqual(3);
      const acceptedBefore = peer.accepted.length;
      await sendDue(restored, restoredDir);
      const sentAfter = peer.accepted.slice(acceptedBefore).map((mail) => mail.messageId);
      expect(sentAfter.sort()).toEqual(waiting.map((row) => row.message_id).sort());
      for (const id of sentBefore) expect(peer.count(id!)).toBe(1);
    });

    it("restores only into an empty DATA_DIR and database, and only with a key that opens it", async () => {
      const file = path.join(scratch, "backup.age");
      await expect(
        restoreBackup({ databaseUrl: restoredUrl, dataDir: restoredDir }, file, [identity]),
      ).rejects.toThrow(/is not empty/);
      const other = await generateX25519Identity();
      const elsewhere = path.join(scratch, "elsewhere");
      const target = { databaseUrl: undefined, dataDir: elsewhere };
      if (dialect.name === "sqlite") {
        await expect(restoreBackup(target, file, [other])).rejects.toThrow(/none of the identities/);
        await expect(restoreBackup(target, file, [])).rejects.toThrow(BackupError);
      } else {
        await expect(restoreBackup(target, file, [identity])).rejects.toThrow(/PostgreSQL database/);
      }
      expect(() => readFileSync(path.join(elsewhere, "undersigned.sqlite"))).toThrow();
    });

    it.runIf(dialect.name === "postgres")(
      "without pg_dump on PATH, exports every table in one snapshot under load and restores it row for row",
      async () => {
        const { db } = source.current();
        const letter = await insertSignableLetter(db, { moderation: false });
        let loading = true;
        const load = (async () => {
          while (loading) await signAndConfirm(letter.slug);
        })();
        const file = path.join(scratch, "export.tar");
        const path_ = process.env.PATH;
        // No PostgreSQL client tools: neither the backup nor the restore may need one.
        process.env.PATH = path.join(scratch, "no-tools");
        const target = await createScratchDatabase(postgresUrl);
        const dataDir = path.join(scratch, "export-restored");
        let store: Store | undefined;
        try {
          await writeBackup(
            { databaseUrl: source.databaseUrl(), dataDir: source.dataDir() },
            { plain: true },
            file,
            NOW,
          );
          loading = false;
          await load;
          const tar = readFileSync(file);
          expect(tar.includes("database/undersigned.pgexport")).toBe(true);
          expect(tar.includes("database/undersigned.pgdump")).toBe(false);
          // Every table's rows are checked against the manifest, counted in the export's own snapshot.
          const { manifest } = await restoreBackup({ databaseUrl: target.url, dataDir }, file, []);
          store = await openStore({ dataDir, databaseUrl: target.url });
          expect(await signatureCount(store)).toBe(manifest.rows.signatures);
          // Row for row: the restored endorsements are the source's, every column, as of the snapshot.
          const columns = (s: Store) => s.db.selectFrom("signatures").selectAll().orderBy("id").execute();
          const restoredRows = await columns(store);
          const sourceRows = (await columns(source.current())).filter((row) =>
            restoredRows.some((r) => r.id === row.id),
          );
          // An endorsement between its sign-on and its confirmation when the snapshot was taken is restored
          // unconfirmed, while the source has confirmed it since: such a row must match in all that the sign-on
          // wrote, and nothing else may differ.
          const inFlight = new Set(
            restoredRows
              .filter((r, i) => r.state === "unconfirmed" && sourceRows[i]?.state !== "unconfirmed")
              .map((r) => r.id),
          );
          const asSigned = (row: (typeof restoredRows)[number]) => {
            if (!inFlight.has(row.id)) return row;
            const {
              state,
              confirmed_at,
              approved_at,
              counted,
              count_change_at,
              counted_waiting,
              manage_token_hash,
              ...signed
            } = row;
            return signed;
          };
          expect(restoredRows.map(asSigned)).toEqual(sourceRows.map(asSigned));
          expect(restoredRows.length).toBe(manifest.rows.signatures);
          const sealed = restoredRows.find(
            (row) => row.letter_id === letter.id && row.visibility === "undisclosed",
          )!;
          expect(await openSealed(sealed.sealed_identity!, letter.keyPair)).toContain(
            "Backup Test Organisation",
          );
          // Sequences go on after the restored ids, and foreign keys hold again.
          const id = await enqueueMail(
            store.db,
            { purpose: "password_reset", to: "after@example.org", subject: "Reset", text: "…" },
            NOW,
            "letters.example.org",
          );
          expect(id).toBeGreaterThan(0);
          await expect(
            store.db
              .insertInto("signer_events")
              .values({
                id: 1,
                day: "2026-03-01",
                action: "x",
                signature_id: 999_999_999,
                campaign_id: null,
                letter_id: null,
                detail: "{}",
              })
              .execute(),
          ).rejects.toThrow(/foreign key/);
        } finally {
          process.env.PATH = path_;
          loading = false;
          await load;
          await store?.close();
          await target.drop();
        }
      },
    );

    it("writes a backup anyone can read only when asked for an unencrypted one", async () => {
      const file = path.join(scratch, "plain.tar");
      await writeBackup(
        { databaseUrl: source.databaseUrl(), dataDir: source.dataDir() },
        { plain: true },
        file,
        NOW,
      );
      // The checks above could fail: unencrypted, the waiting mails' addresses come back without any key
      // (and on SQLite they are in the file as they are; pg_dump's archive is compressed).
      if (dialect.name === "sqlite") expect(readFileSync(file).includes("signers.example.net")).toBe(true);
      const plainDb = dialect.name === "postgres" ? await createScratchDatabase(postgresUrl) : undefined;
      const dataDir = path.join(scratch, "plain-restored");
      await restoreBackup({ databaseUrl: plainDb?.url, dataDir }, file, []);
      const store = await openStore({ dataDir, databaseUrl: plainDb?.url });
      try {
        const waiting = await store.db.selectFrom("outbox_messages").select("to_address").execute();
        expect(waiting.map((row) => row.to_address).join(" ")).toContain("@signers.example.net");
      } finally {
        await store.close();
        await plainDb?.drop();
      }
    });
  });
}

async function signatureCount(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom("signatures")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
