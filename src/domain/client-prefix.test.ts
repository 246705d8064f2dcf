import { describe, expect, it } from "vitest";
import { clientPrefix } from "./client-prefix.ts";

describe("clientPrefix", () => {
  it("keeps an IPv4 address's /24", () => {
    expect(clientPrefix("203.0.113.77")).toBe("203.0.113.0/24");
    expect(clientPrefix("203.0.113.1")).toBe(clientPrefix("203.0.113.254"));
    expect(clientPrefix("203.0.114.1")).not.toBe(clientPrefix("203.0.113.1"));
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 client it is", () => {
    expect(clientPrefix("::ffff:203.0.113.77")).toBe("203.0.113.0/24");
    expect(clientPrefix("::ffff:cb00:714d")).toBe("203.0.113.0/24");
  });

  it("keeps an IPv6 address's /48, however it is written", () => {
    expect(clientPrefix("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1::/48");
    expect(clientPrefix("2001:0db8:0001:ffff::1")).toBe("2001:db8:1::/48");
    expect(clientPrefix("[2001:db8:1::9]")).toBe("2001:db8:1::/48");
    expect(clientPrefix("fe80::1%eth0")).toBe("fe80:0:0::/48");
    expect(clientPrefix("::1")).toBe("0:0:0::/48");
    expect(clientPrefix("2001:db8:2::1")).not.toBe(clientPrefix("2001:db8:1::1"));
  });

  it("never returns any part of the address below the prefix", () => {
    expect(clientPrefix("198.51.100.213")).not.toContain("213");
    expect(clientPrefix("2001:db8:1:abcd::beef")).not.toMatch(/abcd|beef/);
  });

  it("gives one shared bucket for what does not parse", () => {
    for (const bad of ["", "localhost", "1.2.3", "1.2.3.256", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9"]) {
      expect(clientPrefix(bad)).toBe("unknown");
    }
  });
});
