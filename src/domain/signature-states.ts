/** Whether an organisation or a person signed. */
export type SignatureKind = "organisation" | "individual";
/** Listed signatories are named on the letter; undisclosed ones are counted only, their identity sealed. */
export type Visibility = "listed" | "undisclosed";
export type SignatureState = "unconfirmed" | "confirmed" | "approved" | "rejected" | "withdrawn" | "merged";
/** How a signature came in: the public form, an import, a coordinator's hand, or the example campaign. */
export type SignatureSource = "form" | "import" | "coordinator" | "example";

/*
 * The life of an endorsement: unconfirmed → confirmed → approved | rejected | withdrawn | merged.
 * Transitions are guarded (an unconfirmed endorsement cannot be approved: nobody has proved the address is
 * theirs) and idempotent (confirming twice, or withdrawing twice, is "already done", not an error), so a
 * double click, a reloaded confirmation link or a retried request all end in the same state.
 */

export type SignatureEvent = "confirm" | "approve" | "reject" | "withdraw" | "merge";

type Rule = {
  from: readonly SignatureState[];
  to: SignatureState;
  /** States in which the event has, in effect, already happened. */
  done: readonly SignatureState[];
};

const RULES: Record<SignatureEvent, Rule> = {
  // An auto-approved endorsement (listed, letter without moderation) has been confirmed too.
  confirm: { from: ["unconfirmed"], to: "confirmed", done: ["confirmed", "approved"] },
  approve: { from: ["confirmed"], to: "approved", done: ["approved"] },
  // Coordinators may also clear out unconfirmed spam, or take back an approval they got wrong.
  reject: { from: ["unconfirmed", "confirmed", "approved"], to: "rejected", done: ["rejected"] },
  // A signer may withdraw at any point before a coordinator has rejected or merged the endorsement.
  withdraw: { from: ["unconfirmed", "confirmed", "approved"], to: "withdrawn", done: ["withdrawn"] },
  merge: { from: ["confirmed", "approved"], to: "merged", done: ["merged"] },
};

export type Decision =
  | { outcome: "change"; to: SignatureState }
  | { outcome: "unchanged" }
  | { outcome: "refused"; from: SignatureState };

export function decide(current: SignatureState, event: SignatureEvent): Decision {
  const rule = RULES[event];
  if (rule.done.includes(current)) return { outcome: "unchanged" };
  if (rule.from.includes(current)) return { outcome: "change", to: rule.to };
  return { outcome: "refused", from: current };
}

/** The states an event may start from; commands put them in their UPDATE's WHERE so races cannot skip a guard. */
export function statesAllowing(event: SignatureEvent): readonly SignatureState[] {
  return RULES[event].from;
}

/**
 * Where confirmation leads. A listed endorsement on a letter without moderation is listed at once; every
 * undisclosed one waits for a coordinator, who opens it with the coalition key and checks it is a real
 * organisation before it counts (a count nobody can audit would be a count anybody could inflate).
 */
export function stateAfterConfirmation(
  visibility: Visibility,
  moderation: boolean,
): "confirmed" | "approved" {
  return visibility === "listed" && !moderation ? "approved" : "confirmed";
}

/** Endorsements that hold their name: a new listed endorsement with the same match key is a duplicate. */
export const NAME_HOLDING_STATES: readonly SignatureState[] = ["confirmed", "approved"];

/** The timestamp column each state records when it is entered. */
export function timestampColumn(
  state: SignatureState,
): "confirmed_at" | "approved_at" | "rejected_at" | "withdrawn_at" | "merged_at" | undefined {
  switch (state) {
    case "confirmed":
      return "confirmed_at";
    case "approved":
      return "approved_at";
    case "rejected":
      return "rejected_at";
    case "withdrawn":
      return "withdrawn_at";
    case "merged":
      return "merged_at";
    case "unconfirmed":
      return undefined;
  }
}
