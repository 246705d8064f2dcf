import { describe, expect, it } from "vitest";
import { auditAndLimitText, commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { verifyPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import { findLiveSession, sessionIdOf } from "../store/sessions.ts";
import { createOwner } from "./create-owner.ts";
import { createSetupLink } from "./create-setup-link.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
const tokenOf = (link: string) => link.split("/").pop()!;
const owner = {
  name: "Daw Test Owner",
  email: "Owner@Example.org ",
  password: "a long owner passphrase",
  locale: "my" as const,
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`setting up the owner on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());

    it("makes a link under BASE_URL; a newer link replaces the older one", async () => {
      const first = await createSetupLink(deps(), { actor: "system" }, now);
      expect(first).toMatch(/^https:\/\/letters\.example\.org\/admin\/setup\/[A-Za-z0-9_-]{43}$/);
      const second = await createSetupLink(deps(), { actor: "system" }, hours(1));
      expect(second).not.toBe(first);
      const error = await createOwner(deps(), { ...owner, token: tokenOf(first!) }, hours(1)).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("token_invalid");
    });

    it("refuses a link after 24 hours", async () => {
      const link = await createSetupLink(deps(), { actor: "system" }, now);
      const error = await createOwner(deps(), { ...owner, token: tokenOf(link!) }, hours(24)).catch((e) => e);
      expect((error as AppError).code).toBe("token_invalid");
    });

    it("creates the owner once, signed in, audited without secrets; then no link and no reuse", async () => {
      const link = await createSetupLink(deps(), { actor: "system" }, now);
      const token = tokenOf(link!);
      const { userId, sessionToken } = await createOwner(deps(), { ...owner, token }, hours(23));

      const user = await store
        .current()
        .db.selectFrom("users")
        .selectAll()
        .where("id", "=", userId)
        .executeTakeFirstOrThrow();
      expect(user).toMatchObject({
        email: "owner@example.org",
        role: "owner",
        locale: "my",
        totp_enabled_at: null,
      });
      expect(await verifyPassword(user.password_hash, owner.password)).toBe(true);
      const session = await findLiveSession(store.current().db, sessionIdOf(sessionToken), hours(23));
      expect(session).toMatchObject({ userId, secondFactorAt: hours(23).toISOString() });

      const reuse = await createOwner(
        deps(),
        { ...owner, email: "second@example.org", token },
        hours(23),
      ).catch((e) => e);
      expect((reuse as AppError).code).toBe("token_invalid");
      expect(await createSetupLink(deps(), { actor: "system" }, hours(24))).toBeUndefined();

      const audit = await store
        .current()
        .db.selectFrom("audit_entries")
        .select(["action", "actor_label"])
        .execute();
      expect(audit).toContainEqual({ action: "user.created", actor_label: "owner@example.org" });
      expect(audit.filter((a) => a.action === "user.setup_link_created")).toHaveLength(4);
      const written = await auditAndLimitText(store.current());
      for (const secret of [owner.password, token, sessionToken]) expect(written).not.toContain(secret);
    });
  });
}
