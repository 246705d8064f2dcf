import { diffArrays, diffLines } from "diff";

/*
 * A readable diff between two versions of a letter's text, for the console's version history. Lines are
 * compared first; within a changed line, words. Burmese is written without spaces between words, so words
 * come from Intl.Segmenter in the text's language rather than from whitespace: a one-word edit in a Burmese
 * sentence then shows as one word, not as the whole sentence replaced.
 */

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

export function diffText(before: string, after: string, language: string): DiffPart[] {
  const parts: DiffPart[] = [];
  const lines = diffLines(before, after);
  for (let i = 0; i < lines.length; i++) {
    const change = lines[i]!;
    const next = lines[i + 1];
    // A removal followed by an addition is an edited passage: show the words that changed within it.
    if (change.removed && next?.added) {
      parts.push(...diffWords(change.value, next.value, language));
      i++;
      continue;
    }
    parts.push({ kind: change.added ? "added" : change.removed ? "removed" : "same", text: change.value });
  }
  return merge(parts);
}

function diffWords(before: string, after: string, language: string): DiffPart[] {
  const changes = diffArrays(tokens(before, language), tokens(after, language));
  return changes.map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value.join(""),
  }));
}

function tokens(text: string, language: string): string[] {
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(language, { granularity: "word" });
  } catch {
    segmenter = new Intl.Segmenter("en", { granularity: "word" });
  }
  return [...segmenter.segment(text)].map((s) => s.segment);
}

/** Joins neighbours of the same kind, so the view emits one element per run. */
function merge(parts: DiffPart[]): DiffPart[] {
  const merged: DiffPart[] = [];
  for (const part of parts) {
    if (!part.text) continue;
    const last = merged.at(-1);
    if (last && last.kind === part.kind) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}

export function hasChanges(parts: DiffPart[]): boolean {
  return parts.some((p) => p.kind !== "same");
}
