import { describe, expect, it } from "vitest";
import { safeNext } from "./session.ts";

describe("safeNext", () => {
  it("keeps paths on this site, with their query", () => {
    expect(safeNext("/admin/security")).toBe("/admin/security");
    expect(safeNext("/admin/mailbox?lang=my")).toBe("/admin/mailbox?lang=my");
  });

  it("refuses anything that could lead to another site", () => {
    for (const next of [
      "//evil.example/admin",
      "/\\evil.example",
      "https://evil.example/admin",
      "admin",
      "/admin\n/x",
      "/admin\t//evil.example",
      "",
      undefined,
      ["/admin"],
      `/${"a".repeat(600)}`,
    ]) {
      expect(safeNext(next)).toBeUndefined();
    }
  });

  it("normalises what it keeps, so dot segments cannot climb out of the path", () => {
    expect(safeNext("/admin/../../x")).toBe("/x");
  });

  it("refuses dot segments that normalise into a protocol-relative address", () => {
    for (const next of [
      "/.//evil.example",
      "/admin/..//evil.example",
      "/%2e//evil.example",
      "/..//evil.example/x",
    ]) {
      expect(safeNext(next)).toBeUndefined();
    }
  });
});
