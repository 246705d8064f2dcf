import type { Signers } from "./letter-settings.ts";
import { OPTIONAL_SIGN_FIELDS, type OptionalSignField } from "./letter-settings.ts";
import type { LetterState } from "./letter-states.ts";
import type { SignatureKind } from "./signature-states.ts";
import type { VisibilityChoice } from "./threshold-disclosure.ts";

/*
 * When a letter takes endorsements, from whom, and for how long: pure rules shared by the sign form, the
 * sign command and the authoring console (which calls openSignOnBlocker before it moves a letter into a
 * state that takes endorsements).
 */

/** Letter states in which the sign form works. A collecting letter is still private: only its link opens it. */
export const SIGN_ON_STATES: readonly LetterState[] = ["collecting", "published"];

/**
 * A confirmation link is valid for at least a week: long enough for a busy office, short enough to expire.
 * It runs out at the end of the eighth day after the day it was sent (UTC), so its expiry says nothing finer
 * than the day of the signer's action.
 */
export const CONFIRMATION_DAYS = 7;

/** The `settings` key of the operators' kill switch ("1" pauses every sign form on the server). */
export const SIGNING_PAUSED_SETTING = "signing_paused";

export type SignOnBlocker = "needs_key" | "demo_key";

/**
 * Why a letter may not start taking endorsements, or undefined when it may. Every endorsement's contact
 * (and an undisclosed one's identity) is sealed to the campaign's public key, so without a key there is
 * nothing safe to store them in: the key comes first, whatever the letter's visibility options. The
 * example campaign's DEMO key has its private half on the server: it seals the example's own invented
 * endorsements and nothing anyone types.
 */
export function openSignOnBlocker(campaign: {
  publicKey: string | null;
  demoKey: boolean;
}): SignOnBlocker | undefined {
  if (!campaign.publicKey) return "needs_key";
  return campaign.demoKey ? "demo_key" : undefined;
}

export type SignOnClosedReason = "not_open" | "deadline_passed" | "paused" | SignOnBlocker;

export type SignOnStatus = { open: true } | { open: false; reason: SignOnClosedReason };

/** Whether the sign form takes endorsements right now. `now` is passed in, like everywhere in the domain. */
export function signOnStatus(
  letter: { state: LetterState; deadline: string | null },
  campaign: { publicKey: string | null; demoKey: boolean },
  context: { paused: boolean; now: Date },
): SignOnStatus {
  if (!SIGN_ON_STATES.includes(letter.state)) return { open: false, reason: "not_open" };
  const blocker = openSignOnBlocker(campaign);
  if (blocker) return { open: false, reason: blocker };
  if (letter.deadline !== null && context.now.getTime() >= new Date(letter.deadline).getTime()) {
    return { open: false, reason: "deadline_passed" };
  }
  if (context.paused) return { open: false, reason: "paused" };
  return { open: true };
}

export function kindsAccepted(signers: Signers): SignatureKind[] {
  if (signers === "both") return ["organisation", "individual"];
  return signers === "individuals" ? ["individual"] : ["organisation"];
}

/** What the sign form asks: a letter that takes undisclosed endorsements takes threshold ones too. */
export function visibilityChoices(letter: { allowUndisclosed: boolean }): VisibilityChoice[] {
  return letter.allowUndisclosed ? ["listed", "undisclosed", "threshold"] : ["listed"];
}

/** The letter's `required_fields` JSON, keeping only fields the form knows (name, email and consent always are). */
export function requiredSignFields(json: string): OptionalSignField[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value)
      ? value.filter((f): f is OptionalSignField => (OPTIONAL_SIGN_FIELDS as readonly string[]).includes(f))
      : [];
  } catch {
    return [];
  }
}

/** Longest accepted value per field, in characters; sealed boxes are limited in bytes. */
export const FIELD_LIMITS = {
  name: 200,
  name_alt: 200,
  category: 100,
  website: 300,
  contact_person: 200,
  affiliation: 200,
  email: 254,
} as const;

/** A sealed box holds at most a few fields of the sizes above: 4 KiB of plaintext plus the 48-byte seal. */
export const SEALED_BOX_MAX_BYTES = 4096 + 48;
export const SEALED_BOX_MIN_BYTES = 48 + 2;
