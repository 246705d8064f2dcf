import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

/*
 * The sign form's script is TypeScript here and one small committed JavaScript file in assets. Why
 * committed, rather than built on install or at start-up: the noble libraries are ES modules that import
 * each other by bare package names, which a browser cannot resolve without an import map, and an import
 * map is an inline script that our CSP (`script-src 'self'`) refuses. So they must be bundled, and a
 * bundle that is part of the checkout works in every fresh clone, with `npx undersigned serve`,
 * `npm ci --ignore-scripts` and the tests alike, with nothing to forget and no compiler at run time.
 * A test rebuilds it and fails if the committed file differs (a changed source, a new noble or esbuild
 * version): run `npm run build:browser` and commit the result.
 */

export const SEAL_FORM_SOURCE = fileURLToPath(new URL("./seal-form.ts", import.meta.url));
export const SEAL_FORM_BUNDLE = fileURLToPath(new URL("../assets/sign/seal-form.js", import.meta.url));

const BANNER = "/* Generated from src/web/browser/seal-form.ts by `npm run build:browser`: do not edit. */";

export async function bundleSealForm(): Promise<string> {
  const result = await build({
    entryPoints: [SEAL_FORM_SOURCE],
    bundle: true,
    format: "esm",
    // Module scripts: every browser that runs them has BigInt, which X25519 in noble needs.
    target: ["es2020"],
    minify: true,
    // The noble libraries' MIT licence lines travel with their code.
    legalComments: "eof",
    banner: { js: BANNER },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

export function committedSealForm(): string {
  return readFileSync(SEAL_FORM_BUNDLE, "utf8");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SEAL_FORM_BUNDLE, await bundleSealForm());
  process.stdout.write(`wrote ${SEAL_FORM_BUNDLE}\n`);
}
