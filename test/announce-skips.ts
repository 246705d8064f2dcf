import { findChromium } from "../src/pdf/chromium.ts";

/*
 * vitest's summary counts skipped tests but does not say why. Before the run, say in one line each which
 * real dependency is missing here and so which tests will be skipped, and how to run them.
 */
export default function announceSkips(): void {
  const only = (process.env.TEST_DIALECTS ?? "").split(",").filter(Boolean);
  const wantsPostgres = only.length === 0 || only.includes("postgres");
  if (wantsPostgres && !(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)) {
    console.log(
      "skipping the PostgreSQL copy of every database test: set DATABASE_URL=postgres://… to run them",
    );
  }
  if (!findChromium(process.env.CHROMIUM_PATH)) {
    console.log("skipping the tests that print PDFs: no Chromium found (install it, or set CHROMIUM_PATH)");
  }
}
