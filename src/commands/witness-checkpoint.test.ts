import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { startTestWitness, type TestWitness } from "../../test/tlog-witness.ts";
import { verifyLogCommand } from "../cli/verify-log.ts";
import { EXAMPLE_LETTER } from "../domain/example-letter.ts";
import { fromBase64, toBase64 } from "../domain/tlog/bytes.ts";
import { parseVerifierKey, type SignerKey, type VerifierKey } from "../domain/tlog/note.ts";
import { cosignatureKey, meetsWitnessPolicy, witnessPolicy } from "../domain/tlog/witness.ts";
import { syncWitnesses } from "../store/log-witnesses.ts";
import { ensureLogKey } from "../store/transparency-log.ts";
import { createExampleCampaign } from "./create-example-campaign.ts";
import { integrateLog } from "./integrate-log.ts";
import { type Witness, witnessCheckpoint } from "./witness-checkpoint.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`witnessing the log on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    let app: FastifyInstance;
    let signer: SignerKey;
    let logKey: VerifierKey;
    let now: Date;
    let alpha: TestWitness;
    let beta: TestWitness;
    let refusing: TestWitness;
    let witnesses: Witness[];
    let logUrl: string;

    const db = () => store.current().db;
    const run = () => witnessCheckpoint({ db: db(), witnesses, fetch }, now);
    const served = async () => (await app.inject({ method: "GET", url: "/log/checkpoint" })).body;
    const policy = (keys: TestWitness[], k: number) => {
      const p = witnessPolicy(
        keys.map((w) => w.vkey),
        k,
      );
      if ("problem" in p) throw new Error(p.problem);
      return p;
    };

    beforeAll(async () => {
      now = new Date("2026-03-01T09:00:00.000Z");
      const identity = await ensureLogKey(
        db(),
        { origin: "letters.example.org/log", configuredKey: undefined },
        now,
      );
      signer = identity.signer;
      logKey = parseVerifierKey(identity.verifierKey)!;
      const log = { origin: identity.origin, vkey: identity.verifierKey };
      alpha = await startTestWitness("alpha.witness.example", log);
      beta = await startTestWitness("beta.witness.example", log);
      refusing = await startTestWitness("gamma.witness.example", log, { refuse: 403 });
      const all = [alpha, beta, refusing];
      const test = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "https://letters.example.org",
        WITNESSES: all.map((w) => `${w.vkey} ${w.url}`).join(",\n"),
      });
      app = test.app;
      test.clock.now = now;
      witnesses = all.map((w) => ({ vkey: w.vkey, url: w.url, key: cosignatureKey(w.vkey)! }));
      await syncWitnesses(db(), witnesses, now);
      await createExampleCampaign(test.deps, now);
      await integrateLog({ db: db(), signer }, now);
      logUrl = `${await app.listen({ port: 0, host: "127.0.0.1" })}/log`;
    });
    afterAll(async () => {
      await app?.close();
      await Promise.all([alpha, beta, refusing].map((w) => w?.close()));
    });

    it("sends the checkpoint to each witness and serves their cosignatures on /log/checkpoint", async () => {
      const size = (await db().selectFrom("log_state").select("size").executeTakeFirstOrThrow()).size;
      expect(size).toBeGreaterThan(0);
      const result = await run();
      expect(result.cosigned.sort()).toEqual(["alpha.witness.example", "beta.witness.example"]);
      expect(result.failed).toEqual(["gamma.witness.example"]);
      // The witness accepted a first request from size 0 and now holds the log's tree.
      expect(alpha.requests).toEqual([{ old: 0, size, status: 200 }]);
      expect(alpha.latest.size).toBe(size);
      const note = await served();
      expect(note.match(/^— /gm)).toHaveLength(3);
      // Cosignatures the witness made with its own code verify with ours.
      expect(meetsWitnessPolicy(note, logKey, policy([alpha, beta], 2))).toEqual({
        ok: true,
        cosignedBy: ["alpha.witness.example", "beta.witness.example"],
      });
      // Nothing new to cosign: no request at all.
      await run();
      expect(alpha.requests).toHaveLength(1);
    });

    it("backs a refusing witness off instead of asking it at every run", async () => {
      const before = refusing.requests.length;
      await run();
      expect(refusing.requests.length).toBe(before);
      const row = await db()
        .selectFrom("log_witnesses")
        .selectAll()
        .where("vkey", "=", refusing.vkey)
        .executeTakeFirstOrThrow();
      expect(row.failures).toBe(1);
      expect(row.last_problem).toMatch(/^403/);
      expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(now.getTime());
    });

    it("k of n: accepts with enough valid cosignatures, refuses with too few or a tampered one", async () => {
      const note = await served();
      expect(meetsWitnessPolicy(note, logKey, policy([alpha, beta, refusing], 2)).ok).toBe(true);
      expect(meetsWitnessPolicy(note, logKey, policy([alpha, beta, refusing], 3))).toMatchObject({
        ok: false,
        cosignedBy: ["alpha.witness.example", "beta.witness.example"],
      });
      const alphaLine = note.split("\n").find((l) => l.startsWith("— alpha.witness.example "))!;
      const bytes = fromBase64(alphaLine.split(" ")[2]!)!;
      bytes[40]! ^= 1;
      const tampered = note.replace(alphaLine, `— alpha.witness.example ${toBase64(bytes)}`);
      expect(meetsWitnessPolicy(tampered, logKey, policy([alpha], 1)).ok).toBe(false);
      expect(meetsWitnessPolicy(tampered, logKey, policy([alpha, beta], 1)).ok).toBe(false);
      // A cosignature over another tree (the old one, after an append) does not count either.
      const moved = note.replace(
        /^(.*\n)(\d+)\n/,
        (_, origin: string, size: string) => `${origin}${Number(size) + 1}\n`,
      );
      expect(meetsWitnessPolicy(moved, logKey, policy([beta], 1)).ok).toBe(false);
    });

    it("answers a 409 by sending the checkpoint again from the size the witness holds", async () => {
      const held = alpha.latest.size;
      // This process believes the witness holds nothing (a lost row, a restored backup).
      await db().updateTable("log_witnesses").set({ known_size: 0 }).where("vkey", "=", alpha.vkey).execute();
      await db()
        .updateTable("signatures")
        .set({ state: "withdrawn", counted: 0 })
        .where(
          "id",
          "=",
          (
            await db()
              .selectFrom("log_entries")
              .select("signature_id")
              .where("kind", "=", "endorsement")
              .executeTakeFirstOrThrow()
          ).signature_id!,
        )
        .execute();
      const { size } = await integrateLog({ db: db(), signer }, now);
      expect(size).toBeGreaterThan(held);
      // The new tree is not cosigned yet: the served checkpoint carries the log's signature only.
      expect((await served()).match(/^— /gm)).toHaveLength(1);
      const result = await run();
      expect(result.cosigned).toContain("alpha.witness.example");
      expect(alpha.requests.slice(-2)).toEqual([
        { old: 0, size, status: 409 },
        { old: held, size, status: 200 },
      ]);
      expect(alpha.latest.size).toBe(size);
      expect(meetsWitnessPolicy(await served(), logKey, policy([alpha, beta], 2)).ok).toBe(true);
    });

    it("undersigned verify applies --witness and --witnesses to the newest checkpoint", async () => {
      const statePath = path.join(mkdtempSync(path.join(os.tmpdir(), "undersigned-witness-")), "state.json");
      const letter = (
        await app.inject({ method: "GET", url: `/api/v1/letters/${EXAMPLE_LETTER.slug}` })
      ).json().log.letter;
      const verify = async (extra: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await verifyLogCommand(
          [
            "--log",
            logUrl,
            "--letter",
            letter,
            "--slug",
            EXAMPLE_LETTER.slug,
            "--state",
            statePath,
            ...extra,
          ],
          { out: (l) => out.push(l), err: (l) => err.push(l), fetch },
        );
        return { code, out: out.join("\n"), err: err.join("\n") };
      };
      const all = [alpha, beta, refusing].flatMap((w) => ["--witness", w.vkey]);
      const two = await verify([...all, "--witnesses", "2"]);
      expect(two.err).toBe("");
      expect(two.code).toBe(0);
      expect(two.out).toContain("witnesses: 2 of the 3 given cosigned");
      const three = await verify(all);
      expect(three.code).toBe(1);
      expect(three.err).toContain("only 2 of the required 3 witnesses cosigned");
      expect((await verify([...all, "--witnesses", "4"])).code).toBe(2);
    });
  });
}
