import { describe, expect, it } from "vitest";
import type { SignatureState } from "./signature-states.ts";
import { decide, type SignatureEvent, stateAfterConfirmation } from "./signature-states.ts";

const STATES: SignatureState[] = ["unconfirmed", "confirmed", "approved", "rejected", "withdrawn", "merged"];
const EVENTS: SignatureEvent[] = ["confirm", "approve", "reject", "withdraw", "merge"];

describe("signature states", () => {
  it("allows exactly the documented transitions and treats repeats as already done", () => {
    const table = Object.fromEntries(
      EVENTS.map((event) => [event, Object.fromEntries(STATES.map((s) => [s, decide(s, event).outcome]))]),
    );
    expect(table).toEqual({
      confirm: {
        unconfirmed: "change",
        confirmed: "unchanged",
        approved: "unchanged",
        rejected: "refused",
        withdrawn: "refused",
        merged: "refused",
      },
      approve: {
        unconfirmed: "refused",
        confirmed: "change",
        approved: "unchanged",
        rejected: "refused",
        withdrawn: "refused",
        merged: "refused",
      },
      reject: {
        unconfirmed: "change",
        confirmed: "change",
        approved: "change",
        rejected: "unchanged",
        withdrawn: "refused",
        merged: "refused",
      },
      withdraw: {
        unconfirmed: "change",
        confirmed: "change",
        approved: "change",
        rejected: "refused",
        withdrawn: "unchanged",
        merged: "refused",
      },
      merge: {
        unconfirmed: "refused",
        confirmed: "change",
        approved: "change",
        rejected: "refused",
        withdrawn: "refused",
        merged: "unchanged",
      },
    });
  });

  it("lists at confirmation only listed endorsements of unmoderated letters", () => {
    expect(stateAfterConfirmation("listed", false)).toBe("approved");
    expect(stateAfterConfirmation("listed", true)).toBe("confirmed");
    expect(stateAfterConfirmation("undisclosed", false)).toBe("confirmed");
    expect(stateAfterConfirmation("undisclosed", true)).toBe("confirmed");
  });
});
