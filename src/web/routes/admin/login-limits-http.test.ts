import { describe, expect, it } from "vitest";
import { buildTestApp, formSession } from "../../../../test/app.ts";
import { FORM } from "../../../../test/console-session.ts";
import { DIALECTS, useStore } from "../../../../test/databases.ts";
import { LOGIN_LIMITS } from "../../../commands/log-in.ts";

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sign-in limits behind a proxy on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("limits a client that forges X-Forwarded-For when TRUST_PROXY=1, keeping the typed address", async () => {
      const { app } = await buildTestApp(store.current(), store.dataDir(), { TRUST_PROXY: "1" });
      const page = await app.inject({ method: "GET", url: "/admin/login" });
      const { cookie, csrf } = formSession(page);
      const attempt = (i: number) =>
        app.inject({
          method: "POST",
          url: "/admin/login",
          // The client writes a fresh address each time; the proxy appends the one it saw.
          headers: {
            "content-type": FORM,
            cookie,
            "x-forwarded-for": `10.9.${i >> 8}.${i & 255}, 203.0.113.77`,
          },
          payload: new URLSearchParams({
            _csrf: csrf,
            email: `guess${i}@example.org`,
            password: "wrong",
          }).toString(),
        });
      const statuses: number[] = [];
      for (let i = 0; i <= LOGIN_LIMITS.perClient.limit; i++) statuses.push((await attempt(i)).statusCode);
      expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
      const limited = await attempt(999);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers["retry-after"]).toBeDefined();
      expect(limited.body).toContain('value="guess999@example.org"');

      // Another client behind the same proxy is not held back.
      const other = await app.inject({
        method: "POST",
        url: "/admin/login",
        headers: { "content-type": FORM, cookie, "x-forwarded-for": "198.51.100.5" },
        payload: new URLSearchParams({
          _csrf: csrf,
          email: "someone@example.org",
          password: "wrong",
        }).toString(),
      });
      expect(other.statusCode).toBe(401);
      await app.close();
    });
  });
}
