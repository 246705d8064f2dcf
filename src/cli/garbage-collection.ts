import v8 from "node:v8";
import { runInNewContext } from "node:vm";

/*
 * A full garbage collection on request, for a long CLI run such as a 100,000-row import. Such a run keeps
 * little alive (under 45 MiB of heap: docs/performance.md), but every batch leaves its rows, boxes and
 * statements behind, and V8 lets the heap grow to several times what is live before it collects: the
 * process's peak memory was mostly that dead garbage, and it grew with the file. Collecting every few
 * thousand rows bounds it to what is live plus those rows, for some tens of milliseconds each time.
 *
 * Node exposes `gc` only with the --expose-gc flag; set here, it reaches functions of contexts created
 * afterwards, so the CLI needs no flag on its command line (and the server, which never calls this, keeps
 * V8's own schedule).
 */
export function fullGarbageCollection(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}
