import { writeFileSync } from "node:fs";
import path from "node:path";
import type { KeyCommandIo } from "../src/cli/cli-options.ts";

/**
 * What a command that opens the coalition key on this machine (audit-count, disclose, export signatures) is
 * run with in a test: the key file and a passphrase file written to the store's data folder, and a terminal
 * that keeps what the command prints (`printed.out`, `printed.errors`) for the test to read.
 */
export function keyCommandRun(dataDir: string, keyFileContent: unknown, passphrase: string) {
  const keyFile = path.join(dataDir, "key.json");
  const passFile = path.join(dataDir, "pass.txt");
  writeFileSync(keyFile, JSON.stringify(keyFileContent));
  writeFileSync(passFile, `${passphrase}\n`);
  const printed = { out: "", errors: [] as string[] };
  const io: KeyCommandIo = {
    out: (text) => {
      printed.out += text;
    },
    err: (line) => printed.errors.push(line),
    askHidden: undefined,
    env: { DATA_DIR: dataDir },
  };
  return { keyFile, passFile, io, printed };
}
