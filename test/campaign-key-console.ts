import type { Dialect } from "../src/store/db.ts";
import { insertUser, type TestUser } from "./accounts.ts";
import { buildTestApp } from "./app.ts";
import { signIn } from "./console-session.ts";
import { useStore } from "./databases.ts";

/** A fresh store for the enclosing describe block, members of a campaign, and an app each is signed in to. */
export function useCampaignKeyConsole(dialect: Dialect) {
  const store = useStore(dialect);

  async function coordinatorOf(campaignId: number, role: "coordinator" | "reviewer" = "coordinator") {
    return insertUser(store.current(), { role, campaigns: [campaignId] });
  }

  async function signedIn(user: TestUser) {
    const { app } = await buildTestApp(store.current(), store.dataDir());
    return { app, cookie: await signIn(app, user) };
  }

  return { store, coordinatorOf, signedIn };
}
