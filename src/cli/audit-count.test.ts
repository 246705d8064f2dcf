import { describe, expect, it } from "vitest";
import { useStore } from "../../test/databases.ts";
import { insertEndorsement } from "../../test/endorsement-factory.ts";
import { keyCommandRun } from "../../test/key-command.ts";
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
    const { keyFile, passFile, io, printed } = keyCommandRun(store.dataDir(), file, PASSPHRASE);
    const code = await auditCountCommand(
      ["--letter", letter.slug, "--key", keyFile, "--passphrase-file", passFile],
      io,
    );
    expect(printed.errors).toEqual([]);
    expect(code).toBe(0);
    expect(printed.out).toMatch(
      /2 undisclosed endorsements count in the log; 2 are confirmed sealed endorsements/,
    );
    expect(printed.out).toContain("OK: every undisclosed commitment in the log is a real endorsement");
    expect(printed.out).not.toMatch(/Quiet|Silent/);
    expect(await auditCountCommand(["--letter", letter.slug], io)).toBe(2);
  });
});
