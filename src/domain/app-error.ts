import type { MessageKey } from "../i18n/index.ts";

/*
 * The one error type commands and routes throw on purpose. Each code maps, in this single table, to an HTTP
 * status and a translated message; anything else that escapes is an internal error and is shown as such.
 */
export const APP_ERRORS = {
  not_found: { status: 404, message: "error.not_found" },
  forbidden: { status: 403, message: "error.forbidden" },
  /** The campaign requires TOTP and this session did not give a code (the console redirects GETs to set one up). */
  second_factor_required: { status: 403, message: "error.second_factor_required" },
  unauthenticated: { status: 401, message: "error.unauthenticated" },
  csrf: { status: 403, message: "error.csrf" },
  rate_limited: { status: 429, message: "error.rate_limited" },
  validation: { status: 400, message: "error.validation" },
  conflict: { status: 409, message: "error.conflict" },
  invalid_state: { status: 409, message: "error.invalid_state" },
  token_invalid: { status: 410, message: "error.token_invalid" },
  payload_too_large: { status: 413, message: "error.payload_too_large" },
  /** A body that ended early: a multipart upload without its closing boundary, a connection lost midway. */
  incomplete_body: { status: 400, message: "error.incomplete_body" },
  /** Text the database cannot store (a NUL, on PostgreSQL) that reached it outside a form's fields. */
  unstorable_text: { status: 400, message: "error.unstorable_text" },
  unavailable: { status: 503, message: "error.unavailable" },
  internal: { status: 500, message: "error.internal" },
} as const satisfies Record<string, { status: number; message: MessageKey }>;

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    /** Values for the message's placeholders, e.g. { minutes: 15 } for rate_limited. */
    readonly params: Record<string, string | number> = {},
    /** Field → message key, for validation errors shown beside the fields. */
    readonly fields: Record<string, MessageKey> = {},
    /** Field → its own placeholder values (the schema's limits, { max: 300 }), beside its message key. */
    readonly fieldParams: Record<string, Record<string, number>> = {},
  ) {
    super(code);
  }

  get status(): number {
    return APP_ERRORS[this.code].status;
  }
}

/**
 * zod issues of a form (keys are message keys) as an AppError with one message per field, each with the
 * schema's own limit (minimum, maximum) so "at most {max} characters" always states the real one.
 */
export function invalidFields(
  issues: { path: PropertyKey[]; message: string; minimum?: unknown; maximum?: unknown }[],
): AppError {
  const fields: Record<string, MessageKey> = {};
  const fieldParams: Record<string, Record<string, number>> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    if (fields[field]) continue;
    fields[field] = issue.message as MessageKey;
    fieldParams[field] = {
      ...(typeof issue.minimum === "number" ? { min: issue.minimum } : {}),
      ...(typeof issue.maximum === "number" ? { max: issue.maximum } : {}),
    };
  }
  return new AppError("validation", {}, fields, fieldParams);
}
