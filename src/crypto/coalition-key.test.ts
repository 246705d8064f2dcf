import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keygen } from "../cli/keygen.ts";
import { createKeyFile, KeyFileError, openKeyFile, WrongPassphraseError } from "./coalition-key.ts";
import { openSealed, seal } from "./seal.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const passphrase = "correct horse battery staple";

describe("the coalition key file", () => {
  it("opens with its passphrase and gives the key pair that opens what was sealed to its public key", async () => {
    const { keyPair, file } = await createKeyFile(passphrase, {
      now,
      campaign: "rohingya-2026",
      strength: "interactive",
    });
    const text = JSON.stringify(file);
    expect(file).toMatchObject({
      format: "undersigned-coalition-key",
      version: 1,
      created: now.toISOString(),
      campaign: "rohingya-2026",
    });
    expect(text).not.toContain(keyPair.privateKey);
    const opened = await openKeyFile(text, passphrase);
    expect(opened).toEqual(keyPair);
    expect(await openSealed(await seal("ဖော်ပြမထားသော အဖွဲ့", file.publicKey), opened)).toBe("ဖော်ပြမထားသော အဖွဲ့");
  });

  it("refuses a wrong passphrase, a damaged file and a swapped public key", async () => {
    const { file } = await createKeyFile(passphrase, { now, strength: "interactive" });
    await expect(openKeyFile(JSON.stringify(file), "correct horse battery stapler")).rejects.toBeInstanceOf(
      WrongPassphraseError,
    );
    await expect(openKeyFile("{", passphrase)).rejects.toBeInstanceOf(KeyFileError);
    await expect(openKeyFile(JSON.stringify({ ...file, version: 2 }), passphrase)).rejects.toThrow(
      /version 2/,
    );
    const other = await createKeyFile(passphrase, { now, strength: "interactive" });
    await expect(
      openKeyFile(JSON.stringify({ ...file, publicKey: other.file.publicKey }), passphrase),
    ).rejects.toThrow(/does not match/);
    await expect(createKeyFile("short", { now })).rejects.toThrow(/at least 12/);
  });
});

describe("undersigned keygen", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-keygen-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await keygen(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      askHidden: undefined,
      env,
      now: () => now,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("writes an owner-only key file from a passphrase file, never overwriting one", async () => {
    const secretFile = path.join(dir, "passphrase.txt");
    writeFileSync(secretFile, `${passphrase}\n`);
    const out = path.join(dir, "key.json");
    const first = await run(["--out", out, "--passphrase-file", secretFile]);
    expect(first.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const content = readFileSync(out, "utf8");
    expect(first.out).toContain(JSON.parse(content).publicKey);
    expect(await openKeyFile(content, passphrase)).toMatchObject({
      publicKey: JSON.parse(content).publicKey,
    });
    const again = await run(["--out", out], { UNDERSIGNED_KEY_PASSPHRASE: passphrase });
    expect(again).toMatchObject({ code: 1 });
    expect(again.err).toContain("already exists");
    expect(readFileSync(out, "utf8")).toBe(content);
  });

  it("refuses without a passphrase source, with a short one, and with unknown options", async () => {
    expect(await run(["--out", path.join(dir, "a.json")])).toMatchObject({
      code: 2,
      err: expect.stringContaining("UNDERSIGNED_KEY_PASSPHRASE"),
    });
    expect(
      await run(["--out", path.join(dir, "b.json")], { UNDERSIGNED_KEY_PASSPHRASE: "short" }),
    ).toMatchObject({ code: 2 });
    expect(await run(["--passphrase", "x"])).toMatchObject({ code: 2 });
  });
});
