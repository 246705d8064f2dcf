import type { Config } from "../config.ts";
import type { Store } from "./db.ts";

/**
 * What a command needs from the outside world. The web app's deps (AppDeps) and the CLI both satisfy it,
 * so routes pass theirs straight through.
 */
export type CommandDeps = {
  store: Store;
  config: Config;
  /** Server secret: keys the hashes that stand for IP and email addresses in rate-limit keys. */
  secret: string;
};
