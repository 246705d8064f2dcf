import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CONFUSABLE_PROTOTYPES } from "../../domain/confusables-table.ts";
import { preferredEncoding } from "../http-negotiation.ts";
import { matchesEtag } from "./cached-body.ts";

/*
 * The site's static files (stylesheets, scripts, icon, fonts), held in memory and served under names that
 * carry a digest of their content (`/assets/site.1a2b3c4d5e.css`), so a browser keeps them for a year
 * without asking again and a changed file is a new name. Text files are compressed once, with brotli's
 * and gzip's best settings, the first time each is asked for: never per request, and never from a
 * separate .br/.gz file that could go stale beside a hand-edited stylesheet. The plain names
 * (`/assets/site.css`) still answer, cached for an hour, for anything that links to them by hand.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const ASSETS_DIR = path.join(here, "..", "assets");
const fontFile = (name: string) =>
  fileURLToPath(import.meta.resolve(`@fontsource/noto-sans-myanmar/files/${name}`));

/**
 * Files served from outside the assets folder, by the name pages and stylesheets use for them. Burmese pages
 * load one weight of the Myanmar font; bold Burmese is drawn from it by the browser.
 */
const EXTERNAL_FILES: Record<string, string> = {
  "fonts/noto-sans-myanmar-400.woff2": fontFile("noto-sans-myanmar-myanmar-400-normal.woff2"),
};

/** The name under which the browser gets the confusables table (see GENERATED_FILES). */
export const CONFUSABLES_ASSET = "admin/confusables-table.js";

/**
 * Files made from the server's own modules rather than read from the assets folder. The confusables table
 * (domain/confusables-table.ts) is one: the duplicates page's script imports it from here instead of
 * carrying a copy in its bundle (bundle.ts leaves the table out), so the browser's skeletons are made from
 * the very table the server's are.
 */
const GENERATED_FILES: Record<string, () => string> = {
  [CONFUSABLES_ASSET]: () =>
    `export const CONFUSABLE_PROTOTYPES = ${JSON.stringify(CONFUSABLE_PROTOTYPES)};\n`,
};

const TYPES: Record<string, { type: string; compress: boolean }> = {
  ".css": { type: "text/css; charset=utf-8", compress: true },
  ".js": { type: "text/javascript; charset=utf-8", compress: true },
  ".svg": { type: "image/svg+xml", compress: true },
  ".woff2": { type: "font/woff2", compress: false },
};

type Encodings = { identity: Buffer; gzip?: Buffer; br?: Buffer };

type Asset = {
  name: string;
  url: string;
  digest: string;
  type: string;
  compress: boolean;
  bodies: Encodings;
};

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=3600";

function listFiles(dir: string, prefix = ""): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return listFiles(path.join(dir, entry.name), `${name}/`);
    return path.extname(entry.name) in TYPES ? [[name, path.join(dir, entry.name)]] : [];
  });
}

function fingerprinted(name: string, digest: string): string {
  const ext = path.posix.extname(name);
  return `/assets/${name.slice(0, -ext.length)}.${digest}${ext}`;
}

function load(): Map<string, Asset> {
  const files = [...listFiles(ASSETS_DIR), ...Object.entries(EXTERNAL_FILES)];
  const assets = new Map<string, Asset>();
  const add = (name: string, content: Buffer) => {
    const kind = TYPES[path.posix.extname(name)];
    if (!kind) return;
    const digest = createHash("sha256").update(content).digest("hex").slice(0, 10);
    assets.set(name, {
      name,
      url: fingerprinted(name, digest),
      digest,
      ...kind,
      bodies: { identity: content },
    });
  };
  // Stylesheets last: they name fonts and images by their plain names, rewritten here to the fingerprinted
  // ones, so a stylesheet's own digest changes when a file it names does.
  const [sheets, others] = [
    files.filter(([name]) => name.endsWith(".css")),
    files.filter(([name]) => !name.endsWith(".css")),
  ];
  for (const [name, file] of others) add(name, readFileSync(file));
  for (const [name, make] of Object.entries(GENERATED_FILES)) add(name, Buffer.from(make(), "utf8"));
  for (const [name, file] of sheets) {
    const text = readFileSync(file, "utf8").replace(
      /url\("\/assets\/([^"]+)"\)/g,
      (_whole, named: string) => {
        const target = assets.get(named);
        if (!target) throw new Error(`${name} names /assets/${named}, which is not an asset`);
        return `url("${target.url}")`;
      },
    );
    add(name, Buffer.from(text, "utf8"));
  }
  return assets;
}

const ASSETS = load();

/** The URL a page uses for an asset, e.g. `assetUrl("site.css")` → `/assets/site.1a2b3c4d5e.css`. */
export function assetUrl(name: string): string {
  const asset = ASSETS.get(name);
  if (!asset) throw new Error(`no asset named ${name}`);
  return asset.url;
}

function body(asset: Asset, encoding: "gzip" | "br"): Buffer {
  const { bodies } = asset;
  if (encoding === "gzip") bodies.gzip ??= gzipSync(bodies.identity, { level: 9 });
  else
    bodies.br ??= brotliCompressSync(bodies.identity, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bodies.identity.length,
      },
    });
  return bodies[encoding] as Buffer;
}

/** `site.1a2b3c4d5e.css` → the asset `site.css` and whether the digest is its current one. */
function lookUp(requested: string): { asset: Asset; current: boolean } | undefined {
  const plain = ASSETS.get(requested);
  if (plain) return { asset: plain, current: false };
  const match = /^(.+)\.([0-9a-f]{10})(\.[a-z0-9]+)$/.exec(requested);
  if (!match) return undefined;
  const asset = ASSETS.get(`${match[1]}${match[3]}`);
  // An older digest (a page cached before an upgrade) gets today's file, but only for an hour.
  return asset ? { asset, current: asset.digest === match[2] } : undefined;
}

/**
 * An asset's bytes by the path a page names it with (fingerprinted or plain), for the PDF printer, which
 * hands Chromium the files a print view refers to without going through HTTP.
 */
export function assetAt(pathname: string): { body: Buffer; contentType: string } | undefined {
  if (!pathname.startsWith("/assets/")) return undefined;
  const found = lookUp(pathname.slice("/assets/".length));
  return found && { body: found.asset.bodies.identity, contentType: found.asset.type };
}

function sendAsset(request: FastifyRequest, reply: FastifyReply): void {
  const found = lookUp((request.params as { "*": string })["*"]);
  if (!found) {
    reply.callNotFound();
    return;
  }
  const { asset, current } = found;
  reply.header("cache-control", current ? IMMUTABLE : SHORT);
  const encoding = asset.compress ? preferredEncoding(request.headers["accept-encoding"]) : "identity";
  const etag = `"${asset.digest}${encoding === "identity" ? "" : `-${encoding}`}"`;
  reply.header("etag", etag);
  // Assets are the same in every language and for every visitor: vary only on what changes the bytes.
  if (asset.compress) reply.header("vary", "Accept-Encoding");
  else reply.removeHeader("vary");
  if (matchesEtag(request, etag)) {
    reply.status(304).send();
    return;
  }
  reply.type(asset.type);
  if (encoding !== "identity") reply.header("content-encoding", encoding);
  reply.send(encoding === "identity" ? asset.bodies.identity : body(asset, encoding));
}

export function serveStaticAssets(app: FastifyInstance): void {
  app.get("/assets/*", { config: { rateLimit: false } }, sendAsset);
}
