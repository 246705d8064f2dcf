import type { IncomingMessage, ServerResponse } from "node:http";
import helmet from "helmet";
import type { Config } from "../../config.ts";

/*
 * Security headers, decided by helmet (maintained defaults, our CSP) but computed ONCE at start-up. Run per
 * request (as @fastify/helmet does), helmet's dozen middlewares doubled the cost of serving a cached letter
 * page (measured with inject: ≈470 µs against ≈270 µs per request with precomputed headers); none of our
 * headers depend on the request, so setting a precomputed object gives the same headers for a fraction.
 */

/** The site-wide Content Security Policy: our own origin only, no inline script, no framing. */
export const CSP_DIRECTIVES: Record<string, string[]> = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "object-src": ["'none'"],
};

/** The site's CSP with some directives widened for one page (e.g. WebAssembly where libsodium runs). */
export function cspWith(extra: Record<string, string[]>): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([name, values]) => [name, ...values, ...(extra[name] ?? [])].join(" "))
    .join(";");
}

/**
 * For pages that open the coalition key in the browser (review, duplicates, the key maker): the site's CSP
 * plus 'wasm-unsafe-eval' so libsodium runs as WebAssembly. Without it libsodium falls back to asm.js, in
 * which stretching the passphrase (argon2id over 256 MiB) takes minutes in a phone's browser. It allows
 * compiling WebAssembly only: inline and eval'd JavaScript stay forbidden.
 */
export const WASM_PAGE_CSP = cspWith({ "script-src": ["'wasm-unsafe-eval'"] });

/** For the embeddable letter: the site's policy with framing allowed from anywhere (and nothing else widened). */
export const EMBED_CSP = cspWith({}).replace("frame-ancestors 'none'", "frame-ancestors *");

export function securityHeaders(config: Pick<Config, "secureCookies">): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // Cross-origin isolation would break the PDF download in some readers; keep the safe subset.
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    frameguard: { action: "deny" },
    // Headers only browsers of another decade read (IE8's download prompt, the retired XSS auditor) or that
    // current browsers apply by default: each costs bytes and work on every response for nothing.
    xDownloadOptions: false,
    xXssProtection: false,
    originAgentCluster: false,
    strictTransportSecurity: config.secureCookies ? { maxAge: 31536000 } : false,
  });
  middleware({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
