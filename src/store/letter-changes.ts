/*
 * "This letter's public face changed." Commands that change what the public sees of a letter (its text,
 * state, signatures, counts) call letterChanged() after their transaction commits; read-side caches
 * (src/web/letter-cache.ts) listen and forget the letter at once. The change feed (change-feed.ts) carries
 * the signal to the other processes on the same database, which hear it as letterChangedElsewhere(), or as
 * someLettersChangedElsewhere() when all they can tell is that another process wrote (SQLite).
 */

type Listener = (letterId: number) => void;

const listeners = new Set<Listener>();
const unknownChangeListeners = new Set<() => void>();
const forwarders = new Set<Listener>();

/** A change this process committed: its caches forget the letter, and other processes are told. */
export function letterChanged(letterId: number): void {
  for (const listener of listeners) listener(letterId);
  for (const forward of forwarders) forward(letterId);
}

/** A change another process made to this letter: only this process's caches react. */
export function letterChangedElsewhere(letterId: number): void {
  for (const listener of listeners) listener(letterId);
}

/** Another process changed something, which letters unknown (or changes may have been missed). */
export function someLettersChangedElsewhere(): void {
  for (const listener of unknownChangeListeners) listener();
}

/** Registers a listener for one letter's changes; returns the function that removes it. */
export function onLetterChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Registers a listener for changes elsewhere to letters unknown; returns the function that removes it. */
export function onUnknownLetterChanges(listener: () => void): () => void {
  unknownChangeListeners.add(listener);
  return () => unknownChangeListeners.delete(listener);
}

/** Registers what carries this process's changes to the others; returns the function that removes it. */
export function forwardLetterChanges(forward: Listener): () => void {
  forwarders.add(forward);
  return () => forwarders.delete(forward);
}
