import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { confusableSkeleton } from "../../domain/confusables.ts";
import { CONFUSABLE_PROTOTYPES } from "../../domain/confusables-table.ts";
import { assetAt, assetUrl, CONFUSABLES_ASSET } from "../http/static-assets.ts";
import { CONSOLE_BUNDLES, confusablesFromServer } from "./bundle.ts";

/*
 * The duplicates page compares undisclosed names in the browser with the skeleton the server uses for listed
 * ones. The table behind it is not copied into the page's script: the script imports it from the server,
 * which makes it from the domain's module. So the browser's skeleton is the domain's, character for character.
 */

const moduleUrl = (code: string) => `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;

describe("the confusables table in the browser", () => {
  const url = assetUrl(CONFUSABLES_ASSET);
  const served = assetAt(url)!.body.toString("utf8");

  it("is served from the domain's module, and the duplicates page's script imports it rather than a copy", async () => {
    expect((await import(moduleUrl(served))).CONFUSABLE_PROTOTYPES).toBe(CONFUSABLE_PROTOTYPES);
    const script = readFileSync(CONSOLE_BUNDLES["compare-undisclosed"].bundle, "utf8");
    expect(script).toContain(`from"${url}"`);
    const firstEntries = CONFUSABLE_PROTOTYPES.trim().split("\n")[0]!;
    expect(script).not.toContain(firstEntries);
  });

  it("gives the browser the same skeletons as the server", async () => {
    // The skeleton as the bundles build it, reading the table the server serves.
    const built = await build({
      entryPoints: [fileURLToPath(new URL("../../domain/confusables.ts", import.meta.url))],
      plugins: [confusablesFromServer],
      bundle: true,
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    const code = built.outputFiles[0]!.text.replace(url, moduleUrl(served));
    const browser = (await import(moduleUrl(code))) as { confusableSkeleton: (text: string) => string };
    // Cyrillic М and Н, Greek Ο, full-width letters, a zero-width joiner, Burmese.
    for (const name of ["Мinistry of Ηealth", "ＯＲＧ Ｎetwork", "Ka\u200dren Women", "ကရင် အမျိုးသမီး ကွန်ရက်"]) {
      expect(browser.confusableSkeleton(name)).toBe(confusableSkeleton(name));
    }
    expect(browser.confusableSkeleton("Мinistry")).toBe(browser.confusableSkeleton("Ministry"));
  });
});
