import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { assetUrl, CONFUSABLES_ASSET } from "../http/static-assets.ts";
import { MYANMAR_LABEL_FONT, subsetMyanmarLabelFont } from "./myanmar-label-font.ts";

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

/** A script's source here and its bundle in the assets folder (`admin/` unless said). */
function consoleBundle(name: string, folder = "admin") {
  return {
    source: fileURLToPath(new URL(`./${name}.ts`, import.meta.url)),
    bundle: fileURLToPath(new URL(`../assets/${folder}/${name}.js`, import.meta.url)),
  };
}

/**
 * The console's scripts, bundled the same way and committed for the same reasons: the import page's
 * (reads, maps and seals endorsement files in the browser), the duplicates page's (compares opened
 * undisclosed endorsements in the browser) and the coalition key page's (makes the key file in the
 * browser). They load only on those pages.
 */
export const CONSOLE_BUNDLES = {
  "import-file": consoleBundle("import-file"),
  "compare-undisclosed": consoleBundle("compare-undisclosed"),
  // The threshold listing page's: adds the public fields of the ticked, opened endorsements to its form.
  "list-threshold": consoleBundle("list-threshold"),
  // The coalition key page's key maker; libsodium-sumo itself is loaded from /admin/assets/, not bundled.
  "create-coalition-key": consoleBundle("create-coalition-key"),
  // The log audit page's: the audit-count rule applied to the records opened in the browser.
  "audit-log": consoleBundle("audit-log"),
  // Not the console's, but built the same way: the public verify page's receipt checker.
  "verify-receipt": consoleBundle("verify-receipt", "log"),
} as const;

/**
 * The domain modules these scripts share with the server (letter-settings.ts hashes private sign-on tokens)
 * reach node:crypto through code the browser never runs. It resolves here to functions that throw, so such
 * a path fails loudly instead of the build failing, and tree shaking drops them from the bundle.
 */
const nodeCryptoStub: Plugin = {
  name: "node-crypto-stub",
  setup(builder) {
    builder.onResolve({ filter: /^node:crypto$/ }, () => ({ path: "node:crypto", namespace: "stub" }));
    builder.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: `const absent = () => { throw new Error("node:crypto is not available in the browser"); };
export const createHash = absent, createHmac = absent, randomBytes = absent, timingSafeEqual = absent;`,
      loader: "js",
    }));
  },
};

/** read-excel-file gets fflate-sync.ts for fflate: no blob: worker, which the CSP refuses (see that file). */
const fflateInPage: Plugin = {
  name: "fflate-in-page",
  setup(builder) {
    builder.onResolve({ filter: /^fflate$/ }, (args) =>
      args.importer.includes(`${path.sep}read-excel-file${path.sep}`)
        ? { path: fileURLToPath(new URL("./fflate-sync.ts", import.meta.url)) }
        : undefined,
    );
  },
};

/**
 * The confusables table is not bundled: the scripts import it from the server (static-assets.ts serves it,
 * made from the domain's module), under the name its content gives it, so a bundle carries no copy of it.
 */
export const confusablesFromServer: Plugin = {
  name: "confusables-from-server",
  setup(builder) {
    builder.onResolve({ filter: /confusables-table\.ts$/ }, () => ({
      path: assetUrl(CONFUSABLES_ASSET),
      external: true,
    }));
  },
};

export async function bundleConsoleScript(name: keyof typeof CONSOLE_BUNDLES): Promise<string> {
  const result = await build({
    entryPoints: [CONSOLE_BUNDLES[name].source],
    plugins: [nodeCryptoStub, fflateInPage, confusablesFromServer],
    inject: [fileURLToPath(new URL("./buffer-shim.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    target: ["es2020"],
    minify: true,
    legalComments: "eof",
    banner: {
      js: `/* Generated from src/web/browser/${name}.ts by \`npm run build:browser\`: do not edit. */`,
    },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(SEAL_FORM_BUNDLE, await bundleSealForm());
  process.stdout.write(`wrote ${SEAL_FORM_BUNDLE}\n`);
  for (const name of Object.keys(CONSOLE_BUNDLES) as (keyof typeof CONSOLE_BUNDLES)[]) {
    writeFileSync(CONSOLE_BUNDLES[name].bundle, await bundleConsoleScript(name));
    process.stdout.write(`wrote ${CONSOLE_BUNDLES[name].bundle}\n`);
  }
  writeFileSync(MYANMAR_LABEL_FONT, await subsetMyanmarLabelFont());
  process.stdout.write(`wrote ${MYANMAR_LABEL_FONT}\n`);
}
