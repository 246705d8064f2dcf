import type { Kysely } from "kysely";
import type { Dialect } from "../src/store/db.ts";
import type { Database } from "../src/store/schema.ts";
import { useStore } from "./databases.ts";

/*
 * What the campaign team tests over HTTP share: a campaign's slug for its console URLs, and the invitation
 * link an invitee reads in their mail.
 */

export const campaignSlugOf = async (db: Kysely<Database>, campaignId: number) =>
  (await db.selectFrom("campaigns").select("slug").where("id", "=", campaignId).executeTakeFirstOrThrow())
    .slug;

/** A fresh store for the enclosing describe block, and the invitation links mailed from it. */
export function useTeamConsole(dialect: Dialect) {
  const store = useStore(dialect);

  /** The invitation link from the newest invite mail to the address, as the invitee reads it. */
  async function inviteLink(email: string): Promise<string> {
    const mail = await store
      .current()
      .db.selectFrom("outbox_messages")
      .select(["text_body", "subject"])
      .where("purpose", "=", "invite")
      .where("to_address", "=", email)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    return new URL(/https?:\/\/\S+\/admin\/invite\/\S+/.exec(mail.text_body)![0]).pathname;
  }

  return { store, inviteLink };
}
