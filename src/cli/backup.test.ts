import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it } from "vitest";

/*
 * `undersigned backup` and `restore` as an operator runs them (a child process through the bin script), on
 * SQLite: what they refuse, and that the file is age's own format, which the age tool opens too.
 * backup-archive.test.ts covers the snapshot under load on both databases.
 */

const bin = path.resolve("bin/undersigned.js");
const scratch = mkdtempSync(path.join(os.tmpdir(), "undersigned-backup-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string>) {
  const clean = { ...process.env };
  // Vitest sets BASE_URL to "/" (Vite's), which the CLI rightly refuses.
  for (const key of ["DATA_DIR", "DATABASE_URL", "BASE_URL", "BACKUP_RECIPIENTS", "TEST_DATABASE_URL"])
    delete clean[key];
  const child = spawn(process.execPath, [bin, ...args], { env: { ...clean, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stdout, stderr };
}

const hasAgeTool = (() => {
  try {
    execFileSync("age", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

// Each step starts the CLI as a child process: seconds apiece on a loaded machine.
describe("undersigned backup and restore", { timeout: 90_000 }, () => {
  const dataDir = path.join(scratch, "data");
  const keyFile = path.join(scratch, "key.txt");
  const backup = path.join(scratch, "backup.age");

  it("refuses to write a backup nobody can decrypt, or to a recipient that is not one", async () => {
    expect((await run(["migrate"], { DATA_DIR: dataDir })).code).toBe(0);
    const none = await run(["backup", "--out", backup], { DATA_DIR: dataDir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nobody to encrypt it to");
    const bad = await run(["backup", "--out", backup], {
      DATA_DIR: dataDir,
      BACKUP_RECIPIENTS: "ssh-ed25519 AAAA",
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^undersigned: invalid configuration: BACKUP_RECIPIENTS: must be age recipients/,
    );
    expect(existsSync(backup)).toBe(false);
  });

  it("encrypts to BACKUP_RECIPIENTS, in age's format, and restores with the identity file", async () => {
    const identity = await generateX25519Identity();
    writeFileSync(keyFile, `# created for the test\n${identity}\n`, { mode: 0o600 });
    const made = await run(["backup", "--out", backup], {
      DATA_DIR: dataDir,
      BACKUP_RECIPIENTS: await identityToRecipient(identity),
    });
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/encrypted to 1 recipient/);
    if (hasAgeTool) {
      const listing = execFileSync("sh", ["-c", `age -d -i "${keyFile}" "${backup}" | tar t`]).toString();
      expect(listing.split("\n")).toEqual(
        expect.arrayContaining(["manifest.json", "database/undersigned.sqlite"]),
      );
    }

    const target = path.join(scratch, "restored");
    const keyless = await run(["restore", backup], { DATA_DIR: target });
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain("--identity KEYFILE");
    const restored = await run(["restore", backup, "--identity", keyFile], { DATA_DIR: target });
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/every table's rows checked/);
    expect(readFileSync(path.join(target, "undersigned.sqlite")).subarray(0, 15).toString()).toBe(
      "SQLite format 3",
    );
    const again = await run(["restore", backup, "--identity", keyFile], { DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is not empty");
  });
});
