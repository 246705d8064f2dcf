import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleConsoleScript, CONSOLE_BUNDLES } from "./bundle.ts";

/*
 * The console's committed scripts are what their sources build to today, and stay within the page's CSP:
 * no eval, no Function constructor, nothing that loads code from elsewhere. What they do in a browser is
 * proven by the journeys (e2e/a-coordinator-imports-a-spreadsheet.test.ts).
 */
describe("the console's browser bundles", () => {
  for (const name of Object.keys(CONSOLE_BUNDLES) as (keyof typeof CONSOLE_BUNDLES)[]) {
    it(`${name}.js is built from its sources and needs nothing the CSP forbids`, async () => {
      const committed = readFileSync(CONSOLE_BUNDLES[name].bundle, "utf8");
      expect(committed, `run \`npm run build:browser\` and commit ${CONSOLE_BUNDLES[name].bundle}`).toBe(
        await bundleConsoleScript(name),
      );
      expect(committed).not.toMatch(/\beval\(|new Function|importScripts|new Worker|new Buffer\(/);
      expect(committed).not.toMatch(
        /https?:\/\/(?!www\.w3\.org|schemas\.openxmlformats\.org|purl\.oclc\.org)[a-z]/,
      );
      // Console pages only; still, a phone on a slow line loads it once per visit.
      expect(gzipSync(committed).length).toBeLessThan(96 * 1024);
    });
  }
});
