import { describe, expect, it } from "vitest";
import type { CampaignRoles, Role } from "../domain/roles.ts";
import {
  CAMPAIGN_ACTIONS,
  campaignsWhere,
  can,
  canSomewhere,
  SERVER_ACTIONS,
  type Subject,
} from "./policy.ts";

// The expected tables, written out in full so a change to the policy is a visible change to this test.
const SERVER: Record<string, Record<Role, boolean>> = {
  "console.view": { owner: true, coordinator: true, reviewer: true },
  "mailbox.read": { owner: true, coordinator: false, reviewer: false },
  "users.manage": { owner: true, coordinator: false, reviewer: false },
  "settings.edit": { owner: true, coordinator: false, reviewer: false },
  "campaign.create": { owner: true, coordinator: true, reviewer: false },
};

// By the role held in the campaign (the account itself being a coordinator or reviewer).
const CAMPAIGN: Record<string, Record<"coordinator" | "reviewer", boolean>> = {
  "campaign.view": { coordinator: true, reviewer: true },
  "campaign.edit": { coordinator: true, reviewer: false },
  "campaign.key.set": { coordinator: false, reviewer: false },
  "campaign.key.propose": { coordinator: true, reviewer: false },
  "campaign.key.confirm": { coordinator: true, reviewer: false },
  "team.manage": { coordinator: true, reviewer: false },
  "audit.read": { coordinator: true, reviewer: false },
  "letter.edit": { coordinator: true, reviewer: false },
  "letter.publish": { coordinator: true, reviewer: false },
  "signature.review": { coordinator: true, reviewer: true },
  "signature.edit": { coordinator: true, reviewer: false },
  "recipients.manage": { coordinator: true, reviewer: false },
  "letter.deliver": { coordinator: true, reviewer: false },
};

const none: CampaignRoles = new Map();
const A = 1;
const B = 2;

describe("policy", () => {
  it("grants exactly the server permissions of the table, by account role", () => {
    const actual = Object.fromEntries(
      SERVER_ACTIONS.map((action) => [
        action,
        {
          owner: can({ role: "owner", campaigns: none }, action),
          coordinator: can({ role: "coordinator", campaigns: none }, action),
          reviewer: can({ role: "reviewer", campaigns: none }, action),
        },
      ]),
    );
    expect(actual).toEqual(SERVER);
  });

  it("grants campaign permissions by the role held in that campaign, and nothing in another", () => {
    const actual = Object.fromEntries(
      CAMPAIGN_ACTIONS.map((action) => [
        action,
        {
          // A reviewer account made coordinator of A acts as a coordinator there: the membership decides.
          coordinator: can({ role: "reviewer", campaigns: new Map([[A, "coordinator"]]) }, action, A),
          reviewer: can({ role: "coordinator", campaigns: new Map([[A, "reviewer"]]) }, action, A),
        },
      ]),
    );
    expect(actual).toEqual(CAMPAIGN);
    for (const action of CAMPAIGN_ACTIONS) {
      expect(can({ role: "coordinator", campaigns: new Map([[A, "coordinator"]]) }, action, B)).toBe(false);
      expect(can({ role: "owner", campaigns: none }, action, B)).toBe(true);
    }
  });

  it("refuses a campaign action asked without its campaign", () => {
    const subject: Subject = { role: "coordinator", campaigns: new Map([[A, "coordinator"]]) };
    // What an untyped call site would do at run time.
    const untyped = can as (s: typeof subject, action: string) => boolean;
    expect(untyped(subject, "letter.edit")).toBe(false);
    expect(untyped({ ...subject, role: "owner" }, "letter.edit")).toBe(true);
  });

  it("lists where an action is allowed", () => {
    const subject = {
      role: "coordinator" as const,
      campaigns: new Map<number, Role>([
        [A, "coordinator"],
        [B, "reviewer"],
      ]),
    };
    expect(campaignsWhere(subject, "letter.edit")).toEqual([A]);
    expect(campaignsWhere(subject, "signature.review")).toEqual([A, B]);
    expect(campaignsWhere({ role: "owner", campaigns: none }, "letter.edit")).toBe("all");
    expect(canSomewhere({ role: "reviewer", campaigns: new Map([[B, "reviewer"]]) }, "audit.read")).toBe(
      false,
    );
    expect(canSomewhere(subject, "audit.read")).toBe(true);
  });

  it("denies everything to nobody", () => {
    for (const action of SERVER_ACTIONS) expect(can(undefined, action)).toBe(false);
    for (const action of CAMPAIGN_ACTIONS) expect(can(undefined, action, A)).toBe(false);
  });
});
