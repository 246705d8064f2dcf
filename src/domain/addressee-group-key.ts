import type { AddresseeGroup } from "./letter-content-hash.ts";

/*
 * Which of a letter's addressee groups a recipient belongs to. A letter may address two groups under one
 * heading ("The Defence Ministers of" ASEAN's members, then the partners'), so the heading alone cannot say:
 * the group whose names include the recipient's name or country does. The key is the group's number in the
 * letter's addressees (1 for the first), the same in every translation, which keep the groups in one order.
 */

/** A translation's addressees as stored (JSON array of {heading, names[]}); anything malformed is dropped. */
export function parseAddressees(json: string): AddresseeGroup[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((g) => {
    const group = g as Partial<AddresseeGroup>;
    if (typeof group?.heading !== "string" || !Array.isArray(group.names)) return [];
    return [{ heading: group.heading, names: group.names.filter((n): n is string => typeof n === "string") }];
  });
}

const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/**
 * The number of the recipient's addressee group, looked up in each translation's addressees: among the groups
 * under its heading, the one naming the recipient (by name or country), else the first. Null without a
 * heading, or when no translation has a group under it.
 */
export function addresseeGroupKey(
  translations: readonly AddresseeGroup[][],
  recipient: { name: string; country: string | null; addresseeGroup: string | null },
): number | null {
  const heading = recipient.addresseeGroup;
  if (!heading) return null;
  const names = [recipient.name, recipient.country].filter((n): n is string => !!n);
  for (const groups of translations) {
    const under = groups.flatMap((g, index) => (same(g.heading, heading) ? [{ ...g, index }] : []));
    if (under.length === 0) continue;
    const naming = under.find((g) => g.names.some((n) => names.some((name) => same(n, name))));
    return (naming ?? under[0]!).index + 1;
  }
  return null;
}
