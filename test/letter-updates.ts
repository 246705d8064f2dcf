import { postLetterUpdate } from "../src/commands/post-letter-update.ts";
import type { CommandDeps } from "../src/store/deps.ts";

/** Posts an update on the letter from the command line, in English, for tests about where updates show. */
export function postEnglishUpdate(
  deps: CommandDeps,
  letterId: number,
  update: { title: string; body: string },
  now: Date,
) {
  return postLetterUpdate(deps, { actor: "cli", letterId, form: { ...update, language: "en" } }, now);
}
