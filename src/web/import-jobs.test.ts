import { describe, expect, it } from "vitest";
import type { RowOutcome } from "../domain/endorsement-import.ts";
import { ImportRefused } from "../store/import-target.ts";
import type { ImportReport } from "../store/imported-rows.ts";
import { importJobs, type JobReporting, REPORTED_ROWS } from "./import-jobs.ts";

/*
 * The console's import jobs, with imports the test finishes itself: a quick one answers in its request, a
 * slow one is followed by its progress until its report, and only its starter sees it.
 */

const owner = { letterId: 7, userId: 3 };
const isRefusal = (error: unknown): error is ImportRefused => error instanceof ImportRefused;
const report = (rows: RowOutcome[] = []): ImportReport => ({
  rows,
  imported: 2,
  duplicates: 1,
  rejected: 1,
  ignoredColumns: [],
});

function controlled() {
  let finish!: (report: ImportReport) => void;
  let fail!: (error: unknown) => void;
  let reporting!: JobReporting;
  const run = (r: JobReporting) => {
    reporting = r;
    return new Promise<ImportReport>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  };
  return {
    run,
    finish: (r: ImportReport) => finish(r),
    fail: (e: unknown) => fail(e),
    reporting: () => reporting,
  };
}

describe("console import jobs", () => {
  it("answer a quick import with its report in the same request", async () => {
    const jobs = importJobs({ waitMs: 5_000 });
    const { job } = await jobs.start(
      owner,
      async () => report(),
      isRefusal,
      () => {},
    );
    expect(job.outcome).toEqual({ report: report() });
  });

  it("follow a slow import's progress, keep only the rows the report shows, and show it to its starter only", async () => {
    const jobs = importJobs({ waitMs: 10 });
    const slow = controlled();
    const failures: unknown[] = [];
    const { id, job } = await jobs.start(owner, slow.run, isRefusal, (e) => failures.push(e));
    expect(job.outcome).toBeUndefined();
    slow.reporting().onProgress({ importId: 1, rowsDone: 1_000, imported: 990, duplicates: 4, rejected: 6 });
    expect(jobs.find(id, owner)?.progress).toEqual({
      rowsDone: 1_000,
      imported: 990,
      duplicates: 4,
      rejected: 6,
    });
    expect(jobs.find(id, { ...owner, userId: 4 })).toBeUndefined();
    expect(jobs.find(id, { ...owner, letterId: 8 })).toBeUndefined();

    const imported: RowOutcome = { row: 2, outcome: "imported" };
    const rejected: RowOutcome = { row: 3, outcome: "rejected", code: "nameEmpty" };
    slow.reporting().onRows([imported, rejected]);
    slow
      .reporting()
      .onRows(Array.from({ length: REPORTED_ROWS + 10 }, (_, i) => ({ ...rejected, row: i + 4 })));
    slow.finish(report());
    await new Promise((resolve) => setImmediate(resolve));
    const done = jobs.find(id, owner)?.outcome;
    expect(done && "report" in done ? done.report.rows : []).toHaveLength(REPORTED_ROWS);
    expect(done && "report" in done ? done.report.rows[0] : undefined).toEqual(rejected);
    expect(failures).toEqual([]);
  });

  it("keep a slow import's refusal for its page, and send any other failure to the log", async () => {
    const jobs = importJobs({ waitMs: 10 });
    const failures: unknown[] = [];
    const refused = controlled();
    const first = await jobs.start(owner, refused.run, isRefusal, (e) => failures.push(e));
    const refusal = new ImportRefused("another run is importing this file right now", false, "busy");
    refused.fail(refusal);
    const broken = controlled();
    const second = await jobs.start(owner, broken.run, isRefusal, (e) => failures.push(e));
    broken.fail(new Error("disk full"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(jobs.find(first.id, owner)?.outcome).toEqual({ refused: refusal });
    expect(jobs.find(second.id, owner)).toBeUndefined();
    expect(failures.map((e) => (e as Error).message)).toEqual(["disk full"]);
  });

  it("forget a finished job after an hour", async () => {
    let clock = 0;
    const jobs = importJobs({ waitMs: 5_000, now: () => clock });
    const { id } = await jobs.start(
      owner,
      async () => report(),
      isRefusal,
      () => {},
    );
    clock = 60 * 60 * 1000 - 1;
    expect(jobs.find(id, owner)).toBeDefined();
    clock = 60 * 60 * 1000 + 1;
    expect(jobs.find(id, owner)).toBeUndefined();
  });
});
