import type { Config } from "../config.ts";
import type { Store } from "./db.ts";

/**
 * What a command needs from the outside world. The web app's deps (AppDeps) and the CLI both satisfy it,
 * so routes pass theirs straight through.
 */
export type CommandDeps = {
  store: Store;
  config: Config;
  /** Server secret: keys the tokens derived from others (manage links, update links) and account hashes. */
  secret: string;
};
