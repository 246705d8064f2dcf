import { createPublicKey } from "node:crypto";
import { createRequire } from "node:module";
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../../../test/app.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { createExampleCampaign } from "../../../commands/create-example-campaign.ts";
import { integrateLog } from "../../../commands/integrate-log.ts";
import { reviewNameChange } from "../../../commands/review-name-change.ts";
import { EXAMPLE_LETTER } from "../../../domain/example-letter.ts";
import { concatBytes, toBase64, utf8 } from "../../../domain/tlog/bytes.ts";
import { commitment, decodeSalt, parseEntry, recountLetter } from "../../../domain/tlog/entries.ts";
import { leafHash, rootOfLeaves, verifyConsistency, verifyInclusion } from "../../../domain/tlog/merkle.ts";
import {
  formatSignerKey,
  generateSigner,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  type SignerKey,
} from "../../../domain/tlog/note.ts";
import { decodeEntryBundle, decodeHashTile, tilePath } from "../../../domain/tlog/tiles.ts";
import {
  ensureLogKey,
  LogKeyMismatchError,
  proveConsistency,
  proveInclusion,
} from "../../../store/transparency-log.ts";

// An implementation we did not write: sigstore-js's checkpoint and RFC 6962 inclusion verification.
const require = createRequire(import.meta.url);
const sigstoreCheckpoint = require("@sigstore/verify/dist/tlog/checkpoint.js") as {
  verifyCheckpoint(entry: unknown, tlogs: unknown[]): { logSize: bigint; logHash: Buffer };
};
const sigstoreMerkle = require("@sigstore/verify/dist/tlog/merkle.js") as {
  verifyMerkleInclusion(entry: unknown, checkpoint: unknown): void;
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`transparency log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    let signer: SignerKey;
    let now: Date;

    const get = (url: string) => app.inject({ method: "GET", url });
    const bytesOf = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      return new Uint8Array(res.rawPayload);
    };
    const checkpoint = async () => {
      const vkey = parseVerifierKey((await get("/log/key")).body)!;
      const note = (await get("/log/checkpoint")).body;
      const opened = openNote(note, [vkey]);
      expect(opened).not.toBeNull();
      return { note, ...parseCheckpoint(opened!.text)! };
    };
    const allEntries = async (size: number) => {
      const entries: Uint8Array[] = [];
      for (let index = 0; index * 256 < size; index++) {
        const width = Math.min(256, size - index * 256);
        entries.push(
          ...decodeEntryBundle(await bytesOf(`/log/${tilePath({ level: "entries", index, width })}`)),
        );
      }
      return entries;
    };

    beforeAll(async () => {
      const test = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example.org",
      });
      app = test.app;
      now = test.clock.now;
      await createExampleCampaign(test.deps, now);
      signer = (
        await ensureLogKey(
          store.current().db,
          { origin: test.deps.config.logOrigin, configuredKey: undefined },
          now,
        )
      ).signer;
      return () => app.close();
    });

    it("starts with a signed empty checkpoint under the installation's origin", async () => {
      const cp = await checkpoint();
      expect(cp.origin).toBe("letters.example.org/log");
      expect(cp.size).toBe(0);
      expect((await get("/log/key")).body).toMatch(
        /^letters\.example\.org\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+\n$/,
      );
    });

    it("logs every counted endorsement and a statement, and its recount equals the API's counts", async () => {
      const result = await integrateLog({ db: store.current().db, signer }, now);
      expect(result.appended).toBe(66);
      const cp = await checkpoint();
      expect(cp.size).toBe(66);
      const api = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      expect(api.log.size).toBe(66);
      const entries = await allEntries(api.log.size);
      expect(toBase64(rootOfLeaves(entries.map(leafHash)))).toBe(toBase64(cp.root));
      const recount = recountLetter(entries, api.log.letter);
      expect(recount.counts).toEqual(api.counts);
      expect(recount.problems).toEqual([]);
      expect(recount.lastStatement?.entry).toMatchObject({ total: 65, listed: 40, undisclosed: 25 });
      // Running again with nothing changed appends nothing.
      expect((await integrateLog({ db: store.current().db, signer }, now)).appended).toBe(0);
    });

    it("serves hash tiles that hash to the checkpoint's root, cached by width", async () => {
      const cp = await checkpoint();
      const tile = await get(`/log/${tilePath({ level: 0, index: 0, width: cp.size })}`);
      expect(tile.headers["content-type"]).toBe("application/octet-stream");
      const leaves = decodeHashTile(new Uint8Array(tile.rawPayload));
      expect(toBase64(rootOfLeaves(leaves))).toBe(toBase64(cp.root));
      expect((await get(`/log/${tilePath({ level: 0, index: 0, width: cp.size + 1 })}`)).statusCode).toBe(
        404,
      );
      expect((await get("/log/tile/0/000")).statusCode).toBe(404);
      expect((await get("/log/tile/0/0")).statusCode).toBe(404);
      expect((await get("/log/checkpoint")).headers["cache-control"]).toBe("public, max-age=2");
    });

    it("publishes listed names with salts that recompute their commitments", async () => {
      const api = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      const { names } = (await get(`/log/letters/${api.log.letter}/names`)).json();
      expect(names).toHaveLength(40);
      const entries = await allEntries(api.log.size);
      for (const n of names) {
        const entry = parseEntry(entries[n.entry]!);
        expect(entry?.type === "undersigned/endorsement/v1" && entry.commit).toBe(
          commitment(decodeSalt(n.salt)!, utf8(n.name)),
        );
      }
    });

    it("gives inclusion proofs that sigstore's verifier accepts with our checkpoint", async () => {
      const cp = await checkpoint();
      const entries = await allEntries(cp.size);
      for (const index of [0, 17, cp.size - 1]) {
        const { proof, root } = await proveInclusion(store.current().db, index, cp.size);
        expect(verifyInclusion(leafHash(entries[index]!), index, cp.size, proof, root)).toBe(true);
        const entry = {
          canonicalizedBody: Buffer.from(entries[index]!),
          inclusionProof: {
            logIndex: String(index),
            treeSize: String(cp.size),
            rootHash: Buffer.from(root),
            hashes: proof.map((h) => Buffer.from(h)),
            checkpoint: { envelope: cp.note },
          },
        };
        const tlog = {
          logID: Buffer.from(concatBytes(signer.keyId, new Uint8Array(28))),
          baseURL: "https://letters.example.org/log",
          publicKey: createPublicKey({
            key: Buffer.concat([
              Buffer.from("302a300506032b6570032100", "hex"),
              Buffer.from(signer.publicKey),
            ]),
            format: "der",
            type: "spki",
          }),
          validFor: { start: new Date(0), end: new Date(8.64e15) },
        };
        const verified = sigstoreCheckpoint.verifyCheckpoint(entry, [tlog]);
        expect(verified.logSize).toBe(BigInt(cp.size));
        expect(() => sigstoreMerkle.verifyMerkleInclusion(entry, verified)).not.toThrow();
        const changed = {
          ...entry,
          canonicalizedBody: Buffer.concat([entry.canonicalizedBody, Buffer.from("x")]),
        };
        expect(() => sigstoreMerkle.verifyMerkleInclusion(changed, verified)).toThrow();
      }
    });

    it("logs a withdrawal when an endorsement stops counting, drops its name, and stays consistent", async () => {
      const before = await checkpoint();
      const db = store.current().db;
      const listed = await db
        .selectFrom("log_entries")
        .innerJoin("signatures", "signatures.id", "log_entries.signature_id")
        .select(["signatures.id", "log_entries.idx", "log_entries.listed_name"])
        .where("signatures.visibility", "=", "listed")
        .orderBy("log_entries.idx")
        .executeTakeFirstOrThrow();
      await db
        .updateTable("signatures")
        .set({ state: "withdrawn", counted: 0 })
        .where("id", "=", listed.id)
        .execute();
      expect((await integrateLog({ db, signer }, now)).appended).toBe(2);
      const after = await checkpoint();
      expect(after.size).toBe(before.size + 2);
      const proof = await proveConsistency(db, before.size, after.size);
      expect(verifyConsistency(before.size, after.size, proof, before.root, after.root)).toBe(true);

      const api = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      expect(api.counts.listed).toBe(39);
      const recount = recountLetter(await allEntries(api.log.size), api.log.letter);
      expect(recount.counts).toEqual(api.counts);
      const { names } = (await get(`/log/letters/${api.log.letter}/names`)).json();
      expect(names.map((n: { name: string }) => n.name)).not.toContain(listed.listed_name);
      expect(names).toHaveLength(39);
    });

    it("logs an undisclosed endorsement that becomes listed again as listed, its name beside the log", async () => {
      const db = store.current().db;
      const before = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      const hidden = await db
        .selectFrom("log_entries")
        .innerJoin("signatures", "signatures.id", "log_entries.signature_id")
        .select(["signatures.id", "log_entries.idx"])
        .where("signatures.visibility", "=", "undisclosed")
        .where("log_entries.withdrawn_by", "is", null)
        .orderBy("log_entries.idx")
        .executeTakeFirstOrThrow();
      // What a disclosure at a threshold does to the row: the integrator follows.
      await db
        .updateTable("signatures")
        .set({ visibility: "listed", display_name: "Disclosed Lotus Network" })
        .where("id", "=", hidden.id)
        .execute();
      expect((await integrateLog({ db, signer }, now)).appended).toBe(3);
      const api = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      expect(api.counts).toMatchObject({
        total: before.counts.total,
        listed: before.counts.listed + 1,
        undisclosed: before.counts.undisclosed - 1,
      });
      const entries = await allEntries(api.log.size);
      const recount = recountLetter(entries, api.log.letter);
      expect(recount.problems).toEqual([]);
      expect(recount.counts).toEqual(api.counts);
      expect(parseEntry(entries[api.log.size - 3]!)).toMatchObject({
        type: "undersigned/withdrawal/v1",
        visibility: "undisclosed",
        entry: hidden.idx,
      });
      const { names } = (await get(`/log/letters/${api.log.letter}/names`)).json();
      const disclosed = names.find((n: { name: string }) => n.name === "Disclosed Lotus Network");
      expect(disclosed.entry).toBe(api.log.size - 2);
      const entry = parseEntry(entries[disclosed.entry]!);
      expect(entry?.type === "undersigned/endorsement/v1" && entry.commit).toBe(
        commitment(decodeSalt(disclosed.salt)!, utf8("Disclosed Lotus Network")),
      );
    });

    it("follows a coordinator's correction of a listed name: the names file holds the new name only", async () => {
      const db = store.current().db;
      const before = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      const logged = await db
        .selectFrom("log_entries")
        .innerJoin("signatures", "signatures.id", "log_entries.signature_id")
        .select(["signatures.id", "signatures.letter_id", "log_entries.idx", "log_entries.listed_name"])
        .where("signatures.visibility", "=", "listed")
        .where("log_entries.withdrawn_by", "is", null)
        .orderBy("log_entries.idx")
        .executeTakeFirstOrThrow();
      const oldSalt = (
        await db
          .selectFrom("signatures")
          .select("listed_salt")
          .where("id", "=", logged.id)
          .executeTakeFirstOrThrow()
      ).listed_salt;
      // The signer's proposal (through the manage link), then a coordinator accepts it.
      await db
        .updateTable("signatures")
        .set({ proposed_name: "Corrected Weavers Union" })
        .where("id", "=", logged.id)
        .execute();
      expect(
        await reviewNameChange(
          { store: store.current() },
          { actor: "cli", letterId: logged.letter_id!, signatureId: logged.id, decision: "accept" },
          now,
        ),
      ).toEqual({ outcome: "accepted" });
      expect((await integrateLog({ db, signer }, now)).appended).toBe(3);
      expect((await integrateLog({ db, signer }, now)).appended).toBe(0);

      const api = (await get(`/api/v1/letters/${EXAMPLE_LETTER.slug}`)).json();
      expect(api.counts).toEqual(before.counts);
      const entries = await allEntries(api.log.size);
      const recount = recountLetter(entries, api.log.letter);
      expect(recount.problems).toEqual([]);
      expect(recount.counts).toEqual(api.counts);
      const { names } = (await get(`/log/letters/${api.log.letter}/names`)).json();
      const shown = names.map((n: { name: string }) => n.name);
      expect(shown).not.toContain(logged.listed_name);
      expect(names.some((n: { entry: number }) => n.entry === logged.idx)).toBe(false);
      const corrected = names.find((n: { name: string }) => n.name === "Corrected Weavers Union");
      const entry = parseEntry(entries[corrected.entry]!);
      expect(entry?.type === "undersigned/endorsement/v1" && entry.commit).toBe(
        commitment(decodeSalt(corrected.salt)!, utf8("Corrected Weavers Union")),
      );
      // A fresh salt: the withdrawn commitment cannot be tested against guessed old names with the new salt.
      expect(Buffer.from(decodeSalt(corrected.salt)!).toString("base64url")).not.toBe(oldSalt);
    });

    it("refuses a process holding a different log key", async () => {
      const other = formatSignerKey(generateSigner("letters.example.org/log"));
      await expect(
        ensureLogKey(store.current().db, { origin: "letters.example.org/log", configuredKey: other }, now),
      ).rejects.toBeInstanceOf(LogKeyMismatchError);
      const same = await ensureLogKey(
        store.current().db,
        { origin: "letters.example.org/log", configuredKey: undefined },
        now,
      );
      expect(toBase64(same.signer.publicKey)).toBe(toBase64(signer.publicKey));
    });
  });
}
