import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/** A configuration problem, always naming the variable at fault so the operator can fix it in one go. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const port = z.coerce
  .number({ message: "must be a whole number from 1 to 65535" })
  .int("must be a whole number from 1 to 65535")
  .min(1, "must be a whole number from 1 to 65535")
  .max(65535, "must be a whole number from 1 to 65535");

const url = (protocols: string[], example: string) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL like ${example}`);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1, "must not be empty").default("127.0.0.1"),
  DATA_DIR: z.string().min(1, "must not be empty").default("./data"),
  DATABASE_URL: url(["postgres:", "postgresql:"], "postgres://user:pass@host:5432/db").optional(),
  SMTP_URL: url(["smtp:", "smtps:"], "smtp://user:pass@host:587").optional(),
  MAIL_FROM: z.string().min(3, "must be an address like Undersigned <letters@example.org>").optional(),
  BASE_URL: url(["http:", "https:"], "https://letters.example.org").optional(),
  CHROMIUM_PATH: z.string().min(1, "must not be empty").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: z
    .enum(["true", "false", "1", "0"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  LOG_KEY: z
    .string()
    .regex(
      /^PRIVATE\+KEY\+[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/,
      "must be a log signer key like PRIVATE+KEY+<name>+<hash>+<base64> (undersigned log-key prints one)",
    )
    .optional(),
});

const SECRET_VARIABLES = new Set(["LOG_KEY"]);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  baseUrl: string;
  chromiumPath: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  /** The transparency log's signer key; unset: the key kept in the database, made at first start. */
  logKey: string | undefined;
  /** The log's checkpoint origin: BASE_URL without scheme, plus /log (tlog-tiles' recommendation). */
  logOrigin: string;
  /** HTTPS origins get `Secure` cookies; plain HTTP (a first run on localhost) cannot. */
  secureCookies: boolean;
};

/**
 * Turns the environment into a typed config once, at start-up. Empty strings count as unset so that a
 * `.env` line like `SMTP_URL=` means "use the local mailbox" rather than an invalid URL.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "configuration");
    // A secret is never echoed back: the message may end up in a terminal log or a support request.
    const got = SECRET_VARIABLES.has(variable) ? "" : ` (got ${JSON.stringify(raw[variable] ?? "")})`;
    throw new ConfigError(variable, `${issue.message}${got}`);
  }
  const c = parsed.data;
  const shownHost = c.HOST === "0.0.0.0" || c.HOST === "::" ? "localhost" : c.HOST;
  const baseUrl = (c.BASE_URL ?? `http://${shownHost}:${c.PORT}`).replace(/\/+$/, "");
  const baseHost = new URL(baseUrl).hostname;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM ?? `Undersigned <no-reply@${baseHost}>`,
    baseUrl,
    chromiumPath: c.CHROMIUM_PATH,
    logLevel: c.LOG_LEVEL,
    trustProxy: c.TRUST_PROXY,
    logKey: c.LOG_KEY,
    logOrigin: `${baseUrl.replace(/^https?:\/\//, "")}/log`,
    secureCookies: baseUrl.startsWith("https:"),
  };
}

/** Reads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
