import type { Role } from "../src/domain/roles.ts";
import type { Actor } from "../src/policies/actor.ts";
import type { Store } from "../src/store/db.ts";
import type { LetterDraft } from "../src/store/letter-rows.ts";
import { insertUser } from "./accounts.ts";

let sequence = 0;

/** A complete letter draft with an English and a Burmese text; override any part. */
export function letterDraft(campaignId: number, overrides: Partial<LetterDraft> = {}): LetterDraft {
  sequence += 1;
  return {
    slug: `draft-${process.pid}-${sequence}`,
    campaignId,
    defaultLanguage: "en",
    letterDate: "2026-02-01",
    publicationDate: null,
    signers: "organisations",
    categories: ["Myanmar", "regional", "international"],
    requiredFields: ["country"],
    moderation: true,
    allowUndisclosed: true,
    deadline: null,
    publisher: { name: "Test Coalition", url: "https://coalition.example.org", links: [] },
    translations: [
      {
        language: "en",
        title: "Stop the sale of aviation fuel",
        subject: "Aviation fuel",
        addressees: [{ heading: "The Trade Ministers of", names: ["Country A", "Country B"] }],
        salutation: "Dear Ministers,",
        body: "We, the undersigned {{total}} organisations, write to you.[^1]\n\n[^1]: A source.",
        closing: "Sincerely,",
        publisherAbout: "A coalition.",
      },
      {
        language: "my",
        title: "လေယာဉ်လောင်စာ ရောင်းချမှုကို ရပ်တန့်ပါ",
        subject: "",
        addressees: [],
        salutation: "",
        body: "ကျွန်ုပ်တို့ {{total}} ဖွဲ့သည် ရေးသားပါသည်။",
        closing: "",
        publisherAbout: "",
      },
    ],
    ...overrides,
  };
}

/**
 * A signed-in console user with the given role, as commands receive it: an owner acts everywhere, anyone
 * else in the campaigns given (with that same role there).
 */
export async function consoleActor(
  store: Store,
  role: Role = "coordinator",
  campaignIds: readonly number[] = [],
): Promise<Actor> {
  const user = await insertUser(store, { role, campaigns: campaignIds });
  return {
    userId: user.id,
    role,
    label: user.email,
    campaigns: new Map(campaignIds.map((id) => [id, role])),
  };
}

/** The actor with a role in one more campaign (its account role), as its session would load it once it joined. */
export function joined(actor: Actor, campaignId: number): Actor {
  if (actor === "cli") return actor;
  return { ...actor, campaigns: new Map([...actor.campaigns, [campaignId, actor.role]]) };
}

/** The same account as a reviewer, in `campaignId` only: for checking what a reviewer may not do. */
export function asReviewerIn(actor: Actor, campaignId: number): Actor {
  if (actor === "cli") throw new Error("the command line has no account to make a reviewer");
  return { ...actor, role: "reviewer", campaigns: new Map([[campaignId, "reviewer"]]) };
}
