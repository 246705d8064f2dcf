import { defineConfig } from "vitest/config";

// Unit and integration tests sit beside the code; browser journeys live in e2e/ and have their own config.
export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.ts", "bin/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Says before the run which tests will be skipped for want of PostgreSQL or Chromium, and why.
    globalSetup: ["test/announce-skips.ts"],
  },
});
