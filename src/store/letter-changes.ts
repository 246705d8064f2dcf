/*
 * "This letter's public face changed" — a signal within one process. Commands that change what the public
 * sees of a letter (its text, state, signatures, counts) call letterChanged() after their transaction
 * commits; read-side caches (src/web/letter-cache.ts) listen and forget the letter at once. Other processes
 * do not hear it: their caches catch up within their time-to-live.
 */

type Listener = (letterId: number) => void;
const listeners = new Set<Listener>();

export function letterChanged(letterId: number): void {
  for (const listener of listeners) listener(letterId);
}

/** Registers a listener; returns the function that removes it. */
export function onLetterChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
