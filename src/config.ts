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

const perDay = z.coerce
  .number({ message: "must be a whole number from 1 to 1000000" })
  .int("must be a whole number from 1 to 1000000")
  .min(1, "must be a whole number from 1 to 1000000")
  .max(1_000_000, "must be a whole number from 1 to 1000000");

const url = (protocols: string[], example: string) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL like ${example}`);

/** age's recipients are Bech32 strings with the human-readable part "age" (X25519, post-quantum, tag). */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]+$/;

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
    .string()
    .default("false")
    .transform((value, ctx) => {
      const trusted = trustedProxies(value);
      if (typeof trusted === "string") {
        ctx.addIssue({ code: "custom", message: trusted });
        return z.NEVER;
      }
      return trusted;
    }),
  SIGN_LIMIT_PER_PREFIX: perDay.default(200),
  RESEND_LIMIT_PER_PREFIX: perDay.default(50),
  MAIL_CONCURRENCY: z.coerce
    .number({ message: "must be a whole number from 1 to 32" })
    .int("must be a whole number from 1 to 32")
    .min(1, "must be a whole number from 1 to 32")
    .max(32, "must be a whole number from 1 to 32")
    .default(4),
  LOG_KEY: z
    .string()
    .regex(
      /^PRIVATE\+KEY\+[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/,
      "must be a log signer key like PRIVATE+KEY+<name>+<hash>+<base64> (undersigned log-key prints one)",
    )
    .optional(),
  WITNESSES: z
    .string()
    .transform((value, ctx) => {
      const witnesses = parseWitnessList(value);
      if (typeof witnesses === "string") {
        ctx.addIssue({ code: "custom", message: witnesses });
        return z.NEVER;
      }
      return witnesses;
    })
    .optional(),
  BACKUP_RECIPIENTS: z
    .string()
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .refine(
      (recipients) => recipients.every((r) => AGE_RECIPIENT.test(r)),
      "must be age recipients like age1… (age-keygen -y KEYFILE prints one), separated by spaces or commas",
    )
    .optional(),
  METRICS_TOKEN: z
    .string()
    .min(20, "must be at least 20 characters (openssl rand -hex 32 makes one)")
    .optional(),
});

const SECRET_VARIABLES = new Set(["LOG_KEY", "METRICS_TOKEN"]);

const WITNESS_HELP =
  'write one witness per line or comma, each its note verifier key and its URL: WITNESSES="witness.example.org+1a2b3c4d+BASE64 https://witness.example.org"';

/** WITNESSES as typed → each witness's verifier key and URL (the key's own check is the server's), or why not. */
function parseWitnessList(value: string): { vkey: string; url: string }[] | string {
  const witnesses: { vkey: string; url: string }[] = [];
  for (const item of value.split(/[\n,]+/).map((s) => s.trim())) {
    if (item === "") continue;
    const [vkey, address, ...rest] = item.split(/\s+/);
    if (!vkey || !address || rest.length > 0 || !/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/.test(vkey))
      return WITNESS_HELP;
    try {
      if (!["http:", "https:"].includes(new URL(address).protocol)) return WITNESS_HELP;
    } catch {
      return WITNESS_HELP;
    }
    if (witnesses.some((w) => w.vkey === vkey)) return `the witness ${vkey} is listed twice`;
    witnesses.push({ vkey, url: address });
  }
  return witnesses;
}

export type TrustedProxies = false | number | string[];

const TRUST_PROXY_HELP =
  "write the number of proxies in front of the app (TRUST_PROXY=1 for one reverse proxy) or their addresses and networks (TRUST_PROXY=127.0.0.1,10.0.0.0/8)";
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;
/** Names proxy-addr understands for the loopback, link-local and private ranges. */
const RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * TRUST_PROXY as typed → what Fastify is told, or a message saying what to write instead. "true" is
 * refused: it trusts every X-Forwarded-For hop, so any client could name its own address and step around
 * every per-client limit.
 */
export function trustedProxies(value: string): TrustedProxies | string {
  const v = value.trim().toLowerCase();
  if (v === "" || v === "false" || v === "0") return false;
  if (v === "true")
    return `true would believe any address a client writes into X-Forwarded-For; ${TRUST_PROXY_HELP}`;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : `at most 10 proxies; ${TRUST_PROXY_HELP}`;
  }
  const entries = v.split(",").map((e) => e.trim());
  for (const entry of entries) {
    if (RANGE_NAMES.has(entry)) continue;
    const [address, bits, extra] = entry.split("/");
    const v4 = IPV4.test(address ?? "");
    const v6 = !v4 && IPV6.test(address ?? "") && (address ?? "").includes(":");
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v4 ? 32 : 128));
    if (extra !== undefined || !(v4 || v6) || !bitsOk)
      return `"${entry}" is neither a number of proxies nor an address or network; ${TRUST_PROXY_HELP}`;
  }
  return entries;
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /**
   * How many messages one process's outbox worker sends at once (over as many SMTP connections): a burst of
   * sign-ons must not queue its confirmation mails behind one another.
   */
  mailConcurrency: number;
  baseUrl: string;
  chromiumPath: string | undefined;
  logLevel: string;
  /**
   * Which proxies' X-Forwarded-For to believe: none (false), the nearest N hops, or the proxies at these
   * addresses and networks. Never every hop, which would let a client write its own address.
   */
  trustProxy: TrustedProxies;
  /**
   * Sign-on limits per client prefix (/24 IPv4, /48 IPv6) and UTC day. Generous, because a mobile carrier
   * puts many signers behind one address; the operator lowers them under attack or raises them for a drive.
   */
  limits: { signPerPrefix: number; resendPerPrefix: number };
  /** The transparency log's signer key; unset: the key kept in the database, made at first start. */
  logKey: string | undefined;
  /** The log's witnesses (C2SP tlog-witness): each one's verifier key and submission URL. */
  witnesses: { vkey: string; url: string }[];
  /** The log's checkpoint origin: BASE_URL without scheme, plus /log (tlog-tiles' recommendation). */
  logOrigin: string;
  /** The bearer token that opens /metrics to non-loopback clients; unset: loopback only. */
  metricsToken: string | undefined;
  /** Whom `undersigned backup` encrypts to when no --to is given (age recipients). */
  backupRecipients: string[];
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
    mailConcurrency: c.MAIL_CONCURRENCY,
    baseUrl,
    chromiumPath: c.CHROMIUM_PATH,
    logLevel: c.LOG_LEVEL,
    trustProxy: c.TRUST_PROXY,
    limits: { signPerPrefix: c.SIGN_LIMIT_PER_PREFIX, resendPerPrefix: c.RESEND_LIMIT_PER_PREFIX },
    logKey: c.LOG_KEY,
    witnesses: c.WITNESSES ?? [],
    logOrigin: `${baseUrl.replace(/^https?:\/\//, "")}/log`,
    secureCookies: baseUrl.startsWith("https:"),
    backupRecipients: c.BACKUP_RECIPIENTS ?? [],
    metricsToken: c.METRICS_TOKEN,
  };
}

/** Reads `.env` from the working directory when present; real environment variables win. */
export function loadDotEnv(file = ".env"): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
