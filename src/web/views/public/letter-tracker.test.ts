import { describe, expect, it } from "vitest";
import type { TrackerRecipient } from "../../../queries/get-letter-tracker.ts";
import { trackerGroups } from "./letter-tracker.tsx";

/** A recipient as the tracker query gives it; only the name and group matter to the grouping. */
const recipient = (
  id: number,
  name: string,
  addresseeGroup: string | null,
  addresseeGroupKey: number | null,
) => ({ id, name, addresseeGroup, addresseeGroupKey }) as TrackerRecipient;

describe("the tracker's groups", () => {
  it("keeps two addressee groups with the same heading as two groups, adjacent or not, in the coordinators' order", () => {
    const groups = trackerGroups([
      recipient(1, "Brunei Darussalam", "The Defence Ministers of", 1),
      recipient(2, "Cambodia", "The Defence Ministers of", 1),
      recipient(3, "Australia", "The Defence Ministers of", 2),
      recipient(4, "UN Special Envoy", "The Special Envoy", 3),
      recipient(5, "Japan", "The Defence Ministers of", 2),
      recipient(6, "An office without a group", null, null),
    ]);
    expect(groups.map((g) => [g.heading, g.recipients.map((r) => r.name)])).toEqual([
      ["The Defence Ministers of", ["Brunei Darussalam", "Cambodia"]],
      ["The Defence Ministers of", ["Australia"]],
      ["The Special Envoy", ["UN Special Envoy"]],
      ["The Defence Ministers of", ["Japan"]],
      ["", ["An office without a group"]],
    ]);
  });
});
