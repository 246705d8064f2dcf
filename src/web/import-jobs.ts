import { randomBytes } from "node:crypto";
import type { RowOutcome } from "../domain/endorsement-import.ts";
import type { ImportProgress } from "../store/import-batch.ts";
import type { ImportRefused } from "../store/import-target.ts";
import type { ImportReport } from "../store/imported-rows.ts";

/*
 * Console imports that outlive their request. A large file takes longer than a person should stare at a
 * spinning tab (and longer than a proxy waits), so the import runs on in this process and the coordinator
 * is sent to a progress page that refreshes itself (a meta refresh: it works without script) until the
 * report is there. A small file finishes within the wait and its report comes back in the same request,
 * as before.
 *
 * Only what the report page shows is kept while the import runs: its counts and the first rows that were
 * not imported (or were imported with a note), never the rows' names. A job is seen only by the person
 * who started it, on the letter it imports into, and is forgotten an hour after it ends.
 */

/** How long the request waits for the import before it answers with the progress page. */
export const IMPORT_WAIT_MS = 1_000;
/** The most rows with a problem a report keeps; the counts cover the rest. */
export const REPORTED_ROWS = 500;
const KEEP_MS = 60 * 60 * 1000;

export type ImportJob = {
  letterId: number;
  userId: number;
  startedAt: number;
  progress: Omit<ImportProgress, "importId">;
  /** Set when the import ends: its report, or why it was refused. */
  outcome?: { report: ImportReport } | { refused: ImportRefused };
  endedAt?: number;
};

/** The callbacks a command takes to report as it goes. */
export type JobReporting = {
  onProgress: (progress: ImportProgress) => void;
  onRows: (rows: RowOutcome[]) => void;
};

export function importJobs(options: { waitMs?: number; now?: () => number } = {}) {
  const { waitMs = IMPORT_WAIT_MS, now = Date.now } = options;
  const jobs = new Map<string, ImportJob>();

  function sweep(): void {
    for (const [id, job] of jobs)
      if (job.endedAt !== undefined && now() - job.endedAt > KEEP_MS) jobs.delete(id);
  }

  return {
    /**
     * Starts `run` and waits for it up to `waitMs`: the finished job, or its id to follow. Errors other
     * than a refusal are not the coordinator's to read: they reach the caller when it waits, the log otherwise.
     */
    async start(
      owner: { letterId: number; userId: number },
      run: (reporting: JobReporting) => Promise<ImportReport>,
      isRefusal: (error: unknown) => error is ImportRefused,
      onFailure: (error: unknown) => void,
    ): Promise<{ id: string; job: ImportJob }> {
      sweep();
      const id = randomBytes(16).toString("base64url");
      const job: ImportJob = {
        ...owner,
        startedAt: now(),
        progress: { rowsDone: 0, imported: 0, duplicates: 0, rejected: 0 },
      };
      jobs.set(id, job);
      const reported: RowOutcome[] = [];
      const running = run({
        onProgress: ({ importId: _, ...progress }) => {
          job.progress = progress;
        },
        onRows: (rows) => {
          for (const r of rows) {
            if (reported.length >= REPORTED_ROWS) break;
            if (r.outcome !== "imported" || r.code !== undefined) reported.push(r);
          }
        },
      }).then(
        (report) => {
          job.outcome = { report: { ...report, rows: reported } };
        },
        (error: unknown) => {
          if (!isRefusal(error)) {
            jobs.delete(id);
            throw error;
          }
          job.outcome = { refused: error };
        },
      );
      const finished = running.then(() => {
        job.endedAt = now();
      });
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        finished.then(() => "done" as const),
        new Promise<"waiting">((resolve) => {
          timer = setTimeout(() => resolve("waiting"), waitMs);
        }),
      ]);
      clearTimeout(timer);
      // Still running: a later failure has no request to answer, so it goes to the log.
      if (waited === "waiting") finished.catch(onFailure);
      return { id, job };
    },

    /** The job, to the person who started it, on its letter; undefined otherwise. */
    find(id: string, owner: { letterId: number; userId: number }): ImportJob | undefined {
      sweep();
      const job = jobs.get(id);
      return job && job.letterId === owner.letterId && job.userId === owner.userId ? job : undefined;
    },
  };
}

export type ImportJobs = ReturnType<typeof importJobs>;
