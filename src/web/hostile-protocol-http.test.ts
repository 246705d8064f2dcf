import type { AddressInfo } from "node:net";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "../../test/app.ts";
import { FORM } from "../../test/console-session.ts";
import { DIALECTS } from "../../test/databases.ts";
import { escapeHtml, truncatedMultipart, useHostileApp } from "../../test/hostile-requests.ts";
import { translator } from "../i18n/index.ts";

/*
 * Hostile HTTP below the forms: odd methods and headers, and raw bytes over a socket (huge headers, broken
 * request lines, truncated bodies), answered with a clean 4xx while the server goes on serving.
 */

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile HTTP on ${dialect.label}`, () => {
    const { store, app, signedIn, real, send } = useHostileApp(dialect.name);

    it("answers odd methods and headers with a clean 4xx", async () => {
      const path = `/letters/${real().slug}`;
      for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] as const)
        await send({ method, url: path });
      for (const headers of [
        { "accept-language": "my;q=abc, *;q=-1, ".repeat(200) },
        { cookie: `us_lang=${"x".repeat(4000)}; us_session=%E0%A4; us_csrf=\u0000` },
        { "content-type": "application/x-www-form-urlencoded", "content-length": "0" },
        { accept: "*/*;q=NaN", "x-forwarded-for": "not-an-address, ::::" },
        { host: "evil.example" },
        { origin: "null" },
      ])
        await send({ method: "GET", url: path, headers });
      expect((await app().inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    });

    it("survives raw bytes over a socket: huge headers, broken request lines and truncated bodies", async () => {
      const server = await buildTestApp(store.current(), store.dataDir(), {
        BASE_URL: "http://localhost:3000",
      });
      await server.app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = server.app.server.address() as AddressInfo;
      const raw = (bytes: string | Buffer, endEarly = false) =>
        new Promise<string>((resolve) => {
          const socket = net.connect(port, "127.0.0.1");
          let answer = "";
          socket.on("data", (chunk) => {
            answer += chunk.toString("latin1");
          });
          socket.on("close", () => resolve(answer));
          socket.on("error", () => resolve(answer));
          socket.write(bytes, () => (endEarly ? socket.destroy() : socket.end()));
          setTimeout(() => socket.destroy(), 3000);
        });
      try {
        const huge = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`);
        expect(huge).toMatch(/^HTTP\/1\.1 431/);
        expect(await raw("GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
        expect(await raw("BREW / HTTP/1.1\r\nHost: x\r\n\r\n")).toMatch(/^HTTP\/1\.1 400/);
        expect(await raw(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01]))).toMatch(/^(HTTP\/1\.1 400 |$)/);
        const truncated = `POST /letters/${real().slug}/sign HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 5000\r\n\r\nname=half`;
        await raw(truncated, true);
        await raw(truncated);
        const body = truncatedMultipart(signedIn().csrf);
        const multipart = `POST /admin/letters/${real().id}/import HTTP/1.1\r\nHost: x\r\nCookie: ${signedIn().cookie}\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: ${body.length + 1000}\r\n\r\n${body}`;
        await raw(multipart, true);
        // An upload of 10 MB from someone not signed in: the answer comes while most of it is still unsent.
        const upload = await new Promise<string>((resolve) => {
          const socket = net.connect(port, "127.0.0.1");
          socket.once("data", (chunk) => {
            resolve(chunk.toString("latin1"));
            socket.destroy();
          });
          socket.on("error", () => resolve(""));
          socket.write(
            `POST /admin/letters/${real().id}/import HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n--XYZ\r\n${"a".repeat(64 * 1024)}`,
          );
        });
        expect(upload).toMatch(/^HTTP\/1\.1 401 /);
        expect(upload).toContain(escapeHtml(translator("en")("error.unauthenticated")));
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(server.logs.text).not.toContain("unhandled error");
      } finally {
        await server.app.close();
      }
    });
  });
}
