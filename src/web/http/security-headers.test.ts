import { describe, expect, it } from "vitest";
import { cspWith, securityHeaders } from "./security-headers.ts";

describe("security headers", () => {
  it("allow only our own origin, forbid framing and sniffing", () => {
    const headers = securityHeaders({ secureCookies: false });
    expect(headers["content-security-policy"]).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'",
    );
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["strict-transport-security"]).toBeUndefined();
    expect(headers["x-dns-prefetch-control"]).toBe("off");
    expect(Object.keys(headers)).not.toContain("x-xss-protection");
    expect(Object.keys(headers)).not.toContain("x-download-options");
  });

  it("add HSTS only when the site is served over HTTPS", () => {
    expect(securityHeaders({ secureCookies: true })["strict-transport-security"]).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });

  it("widen one directive for one page without loosening the others", () => {
    const csp = cspWith({ "script-src": ["'wasm-unsafe-eval'"] });
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("default-src 'self';");
    expect(csp).not.toContain("unsafe-inline");
  });
});
