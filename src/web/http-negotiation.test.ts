import { describe, expect, it } from "vitest";
import { preferredEncoding, preferredLocale, qualityList } from "./http-negotiation.ts";

describe("content negotiation", () => {
  it("orders a header's values by quality, keeping the client's order on ties", () => {
    expect(qualityList("gzip, br;q=1.0, *;q=0.1, deflate;q=0.5")).toEqual([
      { name: "gzip", q: 1 },
      { name: "br", q: 1 },
      { name: "deflate", q: 0.5 },
      { name: "*", q: 0.1 },
    ]);
  });

  it("picks the page language from Accept-Language", () => {
    expect(preferredLocale("my-MM,my;q=0.9,en;q=0.8")).toBe("my");
    expect(preferredLocale("fr-FR,en;q=0.5")).toBe("en");
    expect(preferredLocale("en;q=0.2, my;q=0.8")).toBe("my");
    expect(preferredLocale("my;q=0, fr")).toBe("en");
    expect(preferredLocale(undefined)).toBe("en");
  });

  it("picks brotli, then gzip, honouring q=0 and the wildcard", () => {
    expect(preferredEncoding("gzip, deflate, br")).toBe("br");
    expect(preferredEncoding("gzip")).toBe("gzip");
    expect(preferredEncoding("br;q=0, gzip;q=0")).toBe("identity");
    expect(preferredEncoding("*")).toBe("br");
    expect(preferredEncoding("br;q=0, *")).toBe("gzip");
    expect(preferredEncoding(undefined)).toBe("identity");
  });

  it("answers the same for a remembered header and for one seen the first time", () => {
    // More distinct headers than the memory holds: the answers must not change when it is cleared.
    for (let i = 0; i < 600; i++) expect(preferredLocale(`x-${i}, my;q=0.${(i % 9) + 1}`)).toBe("my");
    expect(preferredLocale("my-MM,my;q=0.9,en;q=0.8")).toBe("my");
  });
});
