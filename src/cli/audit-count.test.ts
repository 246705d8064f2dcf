import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { insertSignableLetter } from "../../test/sign-on-factory.ts";
import { integrateLog } from "../commands/integrate-log.ts";
import { createKeyFile } from "../crypto/coalition-key.ts";
import { ensureLogKey } from "../store/transparency-log.ts";
import { auditCountCommand } from "./audit-count.ts";

const PASSPHRASE = "correct horse battery staple for the audit";

describe("undersigned audit-count (command line)", () => {
  const store = useStore("sqlite");

  it("opens the key file, checks the letter's undisclosed count in the log and prints no name", async () => {
    const { db } = store.current();
    const now = new Date();
    const { keyPair, file } = await createKeyFile(PASSPHRASE, { now, strength: "interactive" });
    const letter = await insertSignableLetter(db, { keyPair });
    for (const name of ["Quiet Union", "Silent Guild"])
      await insertEndorsement(db, letter, keyPair.publicKey, {
        name,
        visibility: "undisclosed",
        state: "approved",
      });
    const { signer } = await ensureLogKey(db, { origin: "example.org/log", configuredKey: undefined }, now);
    await integrateLog({ db, signer }, now);
    const keyFile = path.join(store.dataDir(), "key.json");
    const passFile = path.join(store.dataDir(), "pass.txt");
    writeFileSync(keyFile, JSON.stringify(file));
    writeFileSync(passFile, `${PASSPHRASE}\n`);
    let out = "";
    const errors: string[] = [];
    const io = {
      out: (text: string) => {
        out += text;
      },
      err: (line: string) => errors.push(line),
      askHidden: undefined,
      env: { DATA_DIR: store.dataDir() },
    };
    const code = await auditCountCommand(
      ["--letter", letter.slug, "--key", keyFile, "--passphrase-file", passFile],
      io,
    );
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/2 undisclosed endorsements count in the log; 2 are confirmed sealed endorsements/);
    expect(out).toContain("OK: every undisclosed commitment in the log is a real endorsement");
    expect(out).not.toMatch(/Quiet|Silent/);
    expect(await auditCountCommand(["--letter", letter.slug], io)).toBe(2);
  });
});
