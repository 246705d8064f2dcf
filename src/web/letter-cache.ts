import { onLetterChanged, onUnknownLetterChanges } from "../store/letter-changes.ts";

/*
 * Public letter pages are read far more often than they change, and a spike (a letter going viral, a
 * journalist's link) must not turn into a database query storm. Rendered pages, signatory indexes and the
 * like are kept in memory per app and marked stale at once by letterChanged() (src/store/letter-changes.ts),
 * whether this process made the change or the change feed brought word of another process's (within a
 * second: store/change-feed.ts). The short time-to-live is the backstop should word be lost.
 */

type Entry<T> = {
  letterId: number | undefined;
  /** Other letters the value shows something of (e.g. the count of a letter it cites). */
  dependsOn: readonly number[];
  expiresAt: number;
  stale: boolean;
  /** Shared by concurrent requests, so a cold page is built once rather than once per waiting request. */
  value: Promise<T | undefined>;
  /** The last value built, handed to the next build so it can reuse work (e.g. an unchanged index). */
  settled: T | undefined;
};

export type Built<T> = { letterId: number; value: T; dependsOn?: readonly number[] } | undefined;

export class LetterCache {
  private readonly entries = new Map<string, Entry<unknown>>();

  private readonly stopListening: (() => void)[];

  constructor(private readonly options: { ttlMs: number; maxEntries: number; clock?: () => number }) {
    this.stopListening = [
      onLetterChanged((letterId) => this.markStale(letterId)),
      onUnknownLetterChanges(() => this.markAllStale()),
    ];
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  /**
   * The value under `key`, built when missing, expired or stale. `build` receives the previous value, if
   * any, and returns undefined for "nothing to show" (an unknown or unpublished letter), which is not kept:
   * it may be published a moment later.
   */
  get<T>(key: string, build: (previous: T | undefined) => Promise<Built<T>>): Promise<T | undefined> {
    const existing = this.entries.get(key) as Entry<T> | undefined;
    if (existing && !existing.stale && existing.expiresAt > this.now()) return existing.value;

    const entry: Entry<T> = {
      letterId: existing?.letterId,
      dependsOn: existing?.dependsOn ?? [],
      expiresAt: Number.POSITIVE_INFINITY,
      stale: false,
      settled: existing?.settled,
      value: Promise.resolve(undefined),
    };
    entry.value = build(existing?.settled).then(
      (built) => {
        if (this.entries.get(key) !== entry) return built?.value;
        if (!built) {
          this.entries.delete(key);
          return undefined;
        }
        entry.letterId = built.letterId;
        entry.dependsOn = built.dependsOn ?? [];
        entry.settled = built.value;
        entry.expiresAt = this.now() + this.options.ttlMs;
        return built.value;
      },
      (error: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      },
    );
    // Re-inserting moves the key to the end, so the oldest entries are the first evicted.
    this.entries.delete(key);
    this.entries.set(key, entry as Entry<unknown>);
    while (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return entry.value;
  }

  /**
   * Marks every entry of a letter, or showing something of it, stale: the next request rebuilds it
   * (reusing what is still valid).
   */
  markStale(letterId: number): void {
    for (const entry of this.entries.values())
      if (entry.letterId === letterId || entry.dependsOn.includes(letterId)) entry.stale = true;
  }

  /** Marks every entry stale: another process changed letters, which ones unknown. */
  markAllStale(): void {
    for (const entry of this.entries.values()) entry.stale = true;
  }

  /** Forgets everything and stops listening to letterChanged (the app is closing). */
  close(): void {
    this.entries.clear();
    for (const stop of this.stopListening) stop();
  }
}
