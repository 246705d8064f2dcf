import { describe, expect, it } from "vitest";
import type { Role } from "../store/schema.ts";
import { ACTIONS, can } from "./policy.ts";

// The expected table, written out in full so a change to the policy is a visible change to this test.
const EXPECTED: Record<string, Record<Role, boolean>> = {
  "console.view": { owner: true, coordinator: true, reviewer: true },
  "mailbox.read": { owner: true, coordinator: false, reviewer: false },
  "users.manage": { owner: true, coordinator: false, reviewer: false },
  "settings.edit": { owner: true, coordinator: false, reviewer: false },
  "audit.read": { owner: true, coordinator: true, reviewer: false },
  "campaign.edit": { owner: true, coordinator: true, reviewer: false },
  "letter.edit": { owner: true, coordinator: true, reviewer: false },
  "letter.publish": { owner: true, coordinator: true, reviewer: false },
  "signature.review": { owner: true, coordinator: true, reviewer: true },
  "signature.edit": { owner: true, coordinator: true, reviewer: false },
};

describe("policy", () => {
  it("grants exactly the permissions of the table", () => {
    const actual = Object.fromEntries(
      ACTIONS.map((action) => [
        action,
        {
          owner: can({ role: "owner" }, action),
          coordinator: can({ role: "coordinator" }, action),
          reviewer: can({ role: "reviewer" }, action),
        },
      ]),
    );
    expect(actual).toEqual(EXPECTED);
  });

  it("denies everything to nobody", () => {
    for (const action of ACTIONS) expect(can(undefined, action)).toBe(false);
  });
});
