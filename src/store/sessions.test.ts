import { describe, expect, it } from "vitest";
import { insertUser } from "../../test/accounts.ts";
import { DIALECTS, useStore } from "../../test/databases.ts";
import {
  completeSecondFactor,
  createSession,
  endAllSessions,
  findLiveSession,
  SECOND_FACTOR_WAIT_MS,
  SESSION_IDLE_MS,
  SESSION_MAX_MS,
  sessionIdOf,
  touchSession,
} from "./sessions.ts";

const start = new Date("2026-03-01T09:00:00.000Z");
const at = (ms: number) => new Date(start.getTime() + ms);
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`sessions on ${dialect.label}`, () => {
    const store = useStore(dialect.name);

    it("stores only the token's hash, and ends after 12 idle hours", async () => {
      const { db } = store.current();
      const user = await insertUser(store.current());
      const token = await createSession(db, user.id, true, start);
      const rows = await db.selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
      expect(rows).toEqual([{ id: sessionIdOf(token) }]);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(await findLiveSession(db, sessionIdOf(token), at(SESSION_IDLE_MS - 1))).toBeDefined();
      expect(await findLiveSession(db, sessionIdOf(token), at(SESSION_IDLE_MS))).toBeUndefined();
    });

    it("slides with use, but never past 7 days from sign-in", async () => {
      const { db } = store.current();
      const user = await insertUser(store.current());
      const id = sessionIdOf(await createSession(db, user.id, true, start));
      for (let hours = 10; hours < 7 * 24; hours += 10) {
        const session = await findLiveSession(db, id, at(hours * HOUR));
        expect(session).toBeDefined();
        await touchSession(db, session!, at(hours * HOUR));
      }
      expect(await findLiveSession(db, id, at(SESSION_MAX_MS - 1))).toBeDefined();
      expect(await findLiveSession(db, id, at(SESSION_MAX_MS))).toBeUndefined();
    });

    it("gives a session waiting for its second factor ten minutes, then the full lifetime once given", async () => {
      const { db } = store.current();
      const user = await insertUser(store.current());
      const id = sessionIdOf(await createSession(db, user.id, false, start));
      const pending = await findLiveSession(db, id, start);
      expect(pending?.secondFactorAt).toBeNull();
      expect(await findLiveSession(db, id, at(SECOND_FACTOR_WAIT_MS))).toBeUndefined();

      await completeSecondFactor(db, pending!, at(60_000));
      expect(await findLiveSession(db, id, at(SESSION_IDLE_MS))).toMatchObject({
        secondFactorAt: at(60_000).toISOString(),
      });
    });

    it("ends all of a user's sessions and no one else's", async () => {
      const { db } = store.current();
      const [one, other] = [await insertUser(store.current()), await insertUser(store.current())];
      await createSession(db, one.id, true, start);
      await createSession(db, one.id, true, start);
      const kept = sessionIdOf(await createSession(db, other.id, true, start));
      expect(await endAllSessions(db, one.id)).toBe(2);
      expect(await findLiveSession(db, kept, start)).toBeDefined();
    });

    it("ignores the sessions of a disabled account", async () => {
      const { db } = store.current();
      const user = await insertUser(store.current());
      const id = sessionIdOf(await createSession(db, user.id, true, start));
      await db
        .updateTable("users")
        .set({ disabled_at: start.toISOString() })
        .where("id", "=", user.id)
        .execute();
      expect(await findLiveSession(db, id, start)).toBeUndefined();
    });
  });
}
