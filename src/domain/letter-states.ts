/*
 * The life of a letter: drafted in private, then open for endorsement (often first through a private link),
 * published with its signatories, closed to new endorsements, and finally archived. A letter may also be
 * published straight from the draft, as when a finished letter file is imported. Nothing goes backwards:
 * once a text has been public or endorsed, pretending it never was would mislead signatories.
 */

export type LetterState = "draft" | "collecting" | "published" | "closed" | "archived";

export type LetterTransition = "open" | "publish" | "close" | "archive";

export const LETTER_TRANSITIONS: Record<LetterTransition, { from: readonly LetterState[]; to: LetterState }> =
  {
    open: { from: ["draft"], to: "collecting" },
    publish: { from: ["draft", "collecting"], to: "published" },
    close: { from: ["published"], to: "closed" },
    archive: { from: ["closed"], to: "archived" },
  };

export function isLetterTransition(value: unknown): value is LetterTransition {
  return typeof value === "string" && Object.hasOwn(LETTER_TRANSITIONS, value);
}

/** States in order, for deciding whether a transition has already happened. */
const ORDER: readonly LetterState[] = ["draft", "collecting", "published", "closed", "archived"];

export type TransitionCheck =
  | { kind: "apply"; to: LetterState }
  /** Already in the target state (a repeated click, a retried request): nothing to do. */
  | { kind: "already" }
  | { kind: "illegal" };

/**
 * Decides what a requested transition means for a letter in `state`. A transition the letter has already
 * gone through (it is in the target state or beyond) is a no-op, so a repeated click, a retried request or
 * two coordinators pressing the same button cannot fail or do it twice. Skipping ahead (closing a draft,
 * archiving a letter that is still public) is illegal.
 */
export function checkTransition(state: LetterState, transition: LetterTransition): TransitionCheck {
  const rule = LETTER_TRANSITIONS[transition];
  if (rule.from.includes(state)) return { kind: "apply", to: rule.to };
  if (ORDER.indexOf(state) >= ORDER.indexOf(rule.to)) return { kind: "already" };
  return { kind: "illegal" };
}

/** The transitions a letter in `state` can take next, in the order buttons are shown. */
export function nextTransitions(state: LetterState): LetterTransition[] {
  return (Object.keys(LETTER_TRANSITIONS) as LetterTransition[]).filter((t) =>
    LETTER_TRANSITIONS[t].from.includes(state),
  );
}
