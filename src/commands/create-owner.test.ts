import { describe, expect, it } from "vitest";
import { auditAndLimitText, commandDeps } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import { verifyPassword } from "../crypto/passwords.ts";
import { AppError } from "../domain/app-error.ts";
import { openStore, type Store } from "../store/db.ts";
import { findLiveSession, sessionIdOf } from "../store/sessions.ts";
import { createOwner } from "./create-owner.ts";
import { createSetupLink, type SetupLinkResult } from "./create-setup-link.ts";

const now = new Date("2026-03-01T09:00:00.000Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
const tokenOf = (link: string) => link.split("/").pop()!;
const owner = {
  name: "Daw Test Owner",
  email: "Owner@Example.org ",
  password: "a long owner passphrase",
  locale: "my" as const,
  ip: "192.0.2.7",
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`setting up the owner on ${dialect.label}`, () => {
    const store = useStore(dialect.name);
    const deps = () => commandDeps(store.current(), store.dataDir());

    const linkOf = (result: SetupLinkResult) => {
      if (result.outcome !== "created") throw new Error(`expected a new link, got ${JSON.stringify(result)}`);
      return result.link;
    };

    it("makes one link under BASE_URL; a later start finds it waiting and leaves it; setup-link replaces it", async () => {
      const first = linkOf(await createSetupLink(deps(), { actor: "system" }, now));
      expect(first).toMatch(/^https:\/\/letters\.example\.org\/admin\/setup\/[A-Za-z0-9_-]{43}$/);
      expect(await createSetupLink(deps(), { actor: "system" }, hours(1))).toEqual({
        outcome: "waiting",
        until: hours(24).toISOString(),
      });
      const replaced = linkOf(await createSetupLink(deps(), { actor: "cli", replace: true }, hours(2)));
      expect(replaced).not.toBe(first);
      const error = await createOwner(deps(), { ...owner, token: tokenOf(first) }, hours(2)).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("token_invalid");
    });

    it("gives exactly one link to processes starting together", async () => {
      // Separate connections, as separate processes have. On SQLite they take turns (one connection in a
      // process blocks the event loop while it waits for another's write lock), on PostgreSQL they race.
      const others = await Promise.all(
        [1, 2, 3].map(() => openStore({ dataDir: store.dataDir(), databaseUrl: store.databaseUrl() })),
      );
      try {
        const start = (s: Store) => createSetupLink({ ...deps(), store: s }, { actor: "system" }, hours(48));
        const stores = [store.current(), ...others];
        const results =
          dialect.name === "postgres"
            ? await Promise.all(stores.map(start))
            : await stores.reduce<Promise<SetupLinkResult[]>>(
                async (done, s) => [...(await done), await start(s)],
                Promise.resolve([]),
              );
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
        expect(results.filter((r) => r.outcome === "waiting")).toHaveLength(3);
      } finally {
        await Promise.all(others.map((s) => s.close()));
      }
    });

    it("refuses a link after 24 hours", async () => {
      const link = linkOf(await createSetupLink(deps(), { actor: "system" }, hours(96)));
      const error = await createOwner(deps(), { ...owner, token: tokenOf(link) }, hours(120)).catch((e) => e);
      expect((error as AppError).code).toBe("token_invalid");
    });

    it("creates the owner once, signed in, audited without secrets; then no link and no reuse", async () => {
      const link = linkOf(await createSetupLink(deps(), { actor: "system" }, hours(144)));
      const token = tokenOf(link);
      const { userId, sessionToken } = await createOwner(deps(), { ...owner, token }, hours(167));

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
      const session = await findLiveSession(store.current().db, sessionIdOf(sessionToken), hours(167));
      expect(session).toMatchObject({ userId, secondFactorAt: hours(167).toISOString() });

      const reuse = await createOwner(
        deps(),
        { ...owner, email: "second@example.org", token },
        hours(167),
      ).catch((e) => e);
      expect((reuse as AppError).code).toBe("token_invalid");
      expect(await createSetupLink(deps(), { actor: "system" }, hours(168))).toEqual({
        outcome: "not_needed",
      });

      const audit = await store
        .current()
        .db.selectFrom("audit_entries")
        .select(["action", "actor_label"])
        .execute();
      expect(audit).toContainEqual({ action: "user.created", actor_label: "owner@example.org" });
      expect(audit.filter((a) => a.action === "user.setup_link_created")).toHaveLength(5);
      const written = await auditAndLimitText(store.current());
      for (const secret of [owner.password, token, sessionToken]) expect(written).not.toContain(secret);
    });
  });
}
