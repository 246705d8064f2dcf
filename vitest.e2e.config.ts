import { defineConfig } from "vitest/config";

// Browser journeys: one Chromium, run one file at a time so the two cores are not oversubscribed.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
