import mt from "myanmar-tools";
import { type TextProblem, textProblem } from "./text-input.ts";

/*
 * Names of organisations and people as typed by signers: Burmese in Unicode or in the legacy Zawgyi
 * encoding, Latin with or without accents, stray zero-width characters from copy-paste. Two jobs:
 *
 * - displayName(): what we store and show — Zawgyi converted, NFC, invisible junk removed, spaces tidied.
 * - matchKey(): a key for spotting duplicates — also case- and accent-folded, punctuation dropped, Myanmar
 *   marks put in one order. It is never shown, and it is only ever computed for LISTED (public) names:
 *   a key derived from an undisclosed name would let anyone with the database confirm a guess.
 */

const { ZawgyiDetector, ZawgyiConverter } = mt;
const detector = new ZawgyiDetector();
const converter = new ZawgyiConverter();

/** Above this the detector is confident; in between (short strings identical in both encodings) leave as is. */
const ZAWGYI_THRESHOLD = 0.95;

export type ZawgyiResult = { text: string; converted: boolean };

/**
 * Converts Zawgyi to Unicode when the detector is confident. `settle` is the normalisation the caller
 * applies anyway; detection runs on settled text and the converted text is settled too, so that
 * zawgyiToUnicode(settled output) decides the same way again (the functions built on it are idempotent).
 */
export function zawgyiToUnicode(text: string, settle: (s: string) => string = (s) => s): ZawgyiResult {
  const before = settle(text);
  // The converter corrupts text that is already Unicode, so it only runs on confident detections.
  if (!(detector.getZawgyiProbability(before) > ZAWGYI_THRESHOLD)) return { text: before, converted: false };
  const after = settle(converter.zawgyiToUnicode(before));
  // Malformed input (a sign with no consonant) can look like Zawgyi before and after conversion; keep it.
  if (detector.getZawgyiProbability(after) > ZAWGYI_THRESHOLD) return { text: before, converted: false };
  return { text: after, converted: true };
}

// Zero-width space, non-joiner and joiner (U+200B–U+200D), which Burmese keyboards leave behind, and the
// byte-order mark are never meaningful inside a name: they only make two equal names look different.
const INVISIBLE_JUNK = /[\u200B-\u200D\uFEFF]/g;
// For matching, joiners go too (U+200C ZWNJ, U+200D ZWJ): they change rendering, not identity.
const ALL_ZERO_WIDTH = /[\u200B-\u200D\uFEFF\u2060]/g;

/*
 * Bidirectional controls reorder what follows them: U+202E and a reversed string render exactly as another
 * organisation's name. No name needs them (the browser lays out Burmese, Arabic or Hebrew on its own).
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

export type NameProblem = TextProblem | "field.bidiControl" | "field.required";

/**
 * Why a typed name cannot be taken, or undefined when it can: broken encoding, control characters (tab
 * and line breaks excepted: they fold to a space), bidi controls, or nothing left once invisible characters
 * are gone. Checked before the Zawgyi detector, which must never see such strings.
 */
export function nameProblem(raw: string): NameProblem | undefined {
  const problem = textProblem(raw);
  if (problem) return problem;
  if (BIDI_CONTROLS.test(raw)) return "field.bidiControl";
  return tidy(raw) === "" ? "field.required" : undefined;
}

/** The form in which a name is stored and displayed. */
export function displayName(raw: string): string {
  return zawgyiToUnicode(raw, tidy).text;
}

function tidy(text: string): string {
  return text.normalize("NFC").replace(INVISIBLE_JUNK, "").replace(/\s+/g, " ").trim();
}

/**
 * Rank of each Myanmar dependent sign in the Unicode-recommended storage order (UTN #11): medials Y, R, W,
 * H, then vowel E, upper vowels, lower vowels, A vowels, anusvara, dot below, asat, visarga. NFC does not
 * reorder these (most have combining class 0), so "ကွျ" and "ကျွ" would otherwise get different keys.
 */
const MARK_RANK: Record<string, number> = {
  "\u103B": 1, // medial ya
  "\u103C": 2, // medial ra
  "\u103D": 3, // medial wa
  "\u103E": 4, // medial ha
  "\u1031": 5, // vowel sign e
  "\u102D": 6, // vowel sign i
  "\u102E": 6, // vowel sign ii
  "\u1032": 6, // vowel sign ai
  "\u102F": 7, // vowel sign u
  "\u1030": 7, // vowel sign uu
  "\u102B": 8, // vowel sign tall aa
  "\u102C": 8, // vowel sign aa
  "\u1036": 9, // anusvara
  "\u1037": 10, // dot below
  "\u103A": 11, // asat
  "\u1038": 12, // visarga
};

/** Stable-sorts every run of Myanmar dependent signs into storage order; other characters stay put. */
function orderMyanmarMarks(text: string): string {
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    if (MARK_RANK[chars[i]!] === undefined) {
      i++;
      continue;
    }
    let end = i;
    while (end < chars.length && MARK_RANK[chars[end]!] !== undefined) end++;
    const run = chars.slice(i, end).sort((a, b) => MARK_RANK[a]! - MARK_RANK[b]!);
    chars.splice(i, run.length, ...run);
    i = end;
  }
  return chars.join("");
}

/**
 * The duplicate-detection key: Zawgyi → Unicode, NFC, zero-width characters removed, Myanmar signs in one
 * order, the digit zero ၀ (U+1040) read as the letter wa ဝ (U+101D) that it is constantly typed for, Latin
 * case and accents folded, punctuation and symbols dropped, spacing collapsed.
 */
export function matchKey(raw: string): string {
  return zawgyiToUnicode(raw, foldForMatching).text;
}

function foldForMatching(text: string): string {
  const unicode = text.normalize("NFC").replace(ALL_ZERO_WIDTH, "");
  return (
    orderMyanmarMarks(unicode)
      .replace(/\u1040/g, "\u101D")
      // Decompose only to strip Latin (and other) combining accents; Myanmar signs are not in this range.
      .normalize("NFD")
      .replace(/[\u0300-\u036F]/g, "")
      .normalize("NFC")
      .toLowerCase()
      .replace(/[\p{P}\p{S}]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim()
  );
}
