import pino, { type DestinationStream, type Logger } from "pino";

/*
 * Paths pino blanks out wherever they appear in a logged object. Request logging never includes bodies, but
 * anything that logs a user, a message or a signature goes through these keys, so a careless
 * `log.info({ user })` cannot write an address, a token, a password or a sealed box to the log.
 */
export const REDACTED_PATHS = [
  "email",
  "*.email",
  "*.*.email",
  "to",
  "*.to",
  "to_address",
  "*.to_address",
  "updates_email",
  "*.updates_email",
  "password",
  "*.password",
  "password_hash",
  "*.password_hash",
  "token",
  "*.token",
  "*.*.token",
  "totp_secret",
  "*.totp_secret",
  "recovery_codes",
  "*.recovery_codes",
  "sealed_identity",
  "*.sealed_identity",
  "sealed_contact",
  "*.sealed_contact",
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "headers.cookie",
  "*.headers.cookie",
];

export type { Logger };

/*
 * Every line carries the UTC day only, never the moment. Lines a public request or its mail causes are not
 * written at the default level, but an error still is, and a moment on it would tell when a signer was
 * there. The process's supervisor (journald, Docker) stamps lines as it receives them: docs/threat-model.md
 * says what that leaves.
 */
const dayOnly = () => `,"time":"${new Date().toISOString().slice(0, 10)}"`;

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: dayOnly,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      serializers: {
        // Query strings carry one-time tokens (set-up, reset, invitation, confirmation links): log the path only.
        req: (req: { method: string; url: string; id?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url
            .split("?")[0]!
            .replace(/\/(setup|reset|confirm|manage|unsubscribe|invite)\/[^/]+/, "/$1/[redacted]"),
        }),
      },
    },
    destination,
  );
}
