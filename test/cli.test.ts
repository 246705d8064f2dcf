import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "./free-port.ts";

/*
 * The CLI as an operator runs it: a real child process through the package's bin script, real signals,
 * real exit codes.
 */

const bin = path.resolve("bin/undersigned.js");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "undersigned-cli-"));
  dirs.push(dir);
  return dir;
}

type Run = { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> };

function run(args: string[], env: Record<string, string>): Run {
  const clean = { ...process.env };
  for (const key of ["PORT", "HOST", "DATA_DIR", "DATABASE_URL", "SMTP_URL", "BASE_URL"]) delete clean[key];
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    out += d;
  });
  child.stderr!.on("data", (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A child process starts tsx and the app from scratch: seconds on a loaded machine, so these tests wait long.
describe("undersigned CLI", { timeout: 90_000 }, () => {
  it("prints help and exits 0", async () => {
    const r = run(["--help"], {});
    expect(await r.exit).toBe(0);
    expect(r.stdout()).toContain("Usage: undersigned <command>");
    expect(r.stdout()).toMatch(/serve\s/);
  });

  it("refuses an unknown command with exit code 2", async () => {
    const r = run(["frobnicate"], {});
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toContain('unknown command "frobnicate"');
  });

  it("exits 2 with one line naming PORT when PORT=abc", async () => {
    const r = run(["serve"], { PORT: "abc", DATA_DIR: tempDataDir() });
    expect(await r.exit).toBe(2);
    const lines = r.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^undersigned: invalid configuration: PORT: /);
  });

  it("exits 2 naming DATABASE_URL when PostgreSQL is unreachable, without printing the password", async () => {
    const r = run(["serve"], {
      DATABASE_URL: "postgres://app:hunter2@127.0.0.1:1/letters",
      DATA_DIR: tempDataDir(),
    });
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/invalid configuration: DATABASE_URL: cannot connect to PostgreSQL/);
    expect(r.stderr()).not.toContain("hunter2");
  });

  it("migrates, then reports the database up to date", async () => {
    const dataDir = tempDataDir();
    const first = run(["migrate"], { DATA_DIR: dataDir });
    expect(await first.exit).toBe(0);
    expect(first.stdout()).toContain("applied: 0001-initial");
    const second = run(["migrate"], { DATA_DIR: dataDir });
    expect(await second.exit).toBe(0);
    expect(second.stdout()).toContain("database is up to date");
  });

  it("serves /healthz and exits 0 within 2 seconds of SIGTERM", async () => {
    const port = await freePort();
    const r = run(["serve"], { PORT: String(port), DATA_DIR: tempDataDir(), LOG_LEVEL: "warn" });
    await waitFor(() => r.stdout().includes("Undersigned is serving"), 60_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });

    const started = Date.now();
    r.child.kill("SIGTERM");
    expect(await r.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("exits 0 within 2 seconds of SIGINT even with an idle keep-alive connection open", async () => {
    const port = await freePort();
    const r = run(["serve"], { PORT: String(port), DATA_DIR: tempDataDir(), LOG_LEVEL: "warn" });
    await waitFor(() => r.stdout().includes("Undersigned is serving"), 60_000);
    // An idle keep-alive socket must not hold the process open.
    const held = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: "keep-alive" } });
    expect(held.status).toBe(200);
    const started = Date.now();
    r.child.kill("SIGINT");
    expect(await r.exit).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
