import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { RouteModule } from "../index.ts";
import { confirmRoutes } from "./confirm.ts";
import { manageRoutes } from "./manage.ts";
import { signFormRoutes } from "./sign-form.ts";

const require = createRequire(import.meta.url);

/*
 * libsodium for sealing in the browser, served from our own origin (no CDN: DESIGN.md, non-negotiable 2).
 * These are the package's browser-capable UMD builds (WebAssembly with a pure-JavaScript fallback, which
 * is what runs under our CSP without 'wasm-unsafe-eval'). Only the sign form's script loads them, and only
 * when the signer submits, so no other page pays for their weight.
 */
const VENDOR_FILES = {
  "/assets/vendor/libsodium.js": require.resolve("libsodium"),
  "/assets/vendor/libsodium-wrappers.js": require.resolve("libsodium-wrappers"),
};

/** Sign-on: the form, confirmation and receipt, the signer's manage page, and the sealing library. */
export const signRoutes: RouteModule = async (app, deps) => {
  for (const [url, file] of Object.entries(VENDOR_FILES)) {
    const content = readFileSync(file);
    app.get(url, async (_request, reply) =>
      reply
        .type("text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .send(content),
    );
  }
  await signFormRoutes(app, deps);
  await confirmRoutes(app, deps);
  await manageRoutes(app, deps);
};
