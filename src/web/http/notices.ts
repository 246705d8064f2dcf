import type { FastifyRequest } from "fastify";
import type { MessageKey } from "../../i18n/index.ts";

/**
 * The notice a redirect named in its query string (`?notice=saved`), translated, when it is one of the page's
 * own notices; anything else a link may carry is ignored rather than shown.
 */
export function noticeOf(
  request: FastifyRequest,
  notices: Readonly<Record<string, MessageKey>>,
  name: unknown,
): string | undefined {
  return typeof name === "string" && Object.hasOwn(notices, name)
    ? request.t(notices[name] as MessageKey)
    : undefined;
}
