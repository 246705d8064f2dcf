import { AppError } from "../domain/app-error.ts";
import { clientPrefix } from "../domain/client-prefix.ts";
import type { CommandDeps } from "./deps.ts";
import { findUsableToken } from "./one-time-tokens.ts";
import { hit } from "./rate-limit.ts";

/*
 * What a one-time link's form (password reset, owner set-up) checks before it spends an argon2 computation
 * on the new password: the client's allowance of posts, then whether the link is still good. Both are
 * cheap; hashing first would let anyone holding no link at all make the server hash as fast as it can.
 */

/** Per client prefix: enough to retype a mismatched password several times. */
export const TOKEN_POST_LIMIT = { limit: 10, windowMs: 15 * 60 * 1000 };

export async function checkTokenPost(
  deps: Pick<CommandDeps, "store" | "secret">,
  input: { purpose: "password_reset" | "setup"; token: string; ip: string },
  now: Date,
): Promise<void> {
  const { db } = deps.store;
  const limit = await hit(
    db,
    `${input.purpose}-post:prefix:${clientPrefix(input.ip)}`,
    TOKEN_POST_LIMIT.limit,
    TOKEN_POST_LIMIT.windowMs,
    now,
  );
  if (!limit.allowed)
    throw new AppError("rate_limited", { minutes: Math.max(1, Math.ceil(limit.retryAfterMs / 60_000)) });
  if (!(await findUsableToken(db, input.purpose, input.token, now))) throw new AppError("token_invalid");
}
