import path from "node:path";
import nodemailer from "nodemailer";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import shared from "nodemailer/lib/shared/index.js";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import { storeInLocalMailbox } from "./mailbox.ts";

/** One message as the worker hands it to a transport. */
export type OutboundMail = {
  /** Fixed when the message was queued, so every attempt carries the same one. */
  messageId: string;
  /** When the message was queued: also fixed, so retries are the same message, not a new one. */
  date: Date;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; path: string }[];
};

export type Accepted = {
  accepted: true;
  /** The peer's answer, e.g. "250 2.0.0 Ok: queued as 4F1C2"; recipient addresses are scrubbed out. */
  response: string;
  /** Where a local transport stored the message, as the operator would type the path; absent for SMTP. */
  storedAt?: string;
};

export interface MailTransport {
  /** Where mail goes, for the start-up line: never credentials. */
  readonly description: string;
  /** Resolves once the peer took responsibility for the message; throws a MailSendError otherwise. */
  send(mail: OutboundMail): Promise<Accepted>;
  /** Ends open connections; an in-flight send fails with a temporary error. */
  close(): Promise<void>;
}

/**
 * Why a message was not accepted. Temporary ones (4xx, no connection, timeouts) are worth retrying later;
 * permanent ones (5xx) are not: the same message would be refused again.
 */
export class MailSendError extends Error {
  constructor(
    readonly kind: "temporary" | "permanent",
    /** The SMTP reply code when the peer answered, e.g. 451 or 550. */
    readonly smtpCode: number | undefined,
    /** The peer's answer or the connection problem, with addresses scrubbed out. */
    readonly response: string,
  ) {
    super(response);
    this.name = "MailSendError";
  }
}

export type TransportOptions = { smtpUrl: string | undefined; dataDir: string; from: string };

/** SMTP when SMTP_URL is set, otherwise the local mailbox under DATA_DIR. */
export function createMailTransport(options: TransportOptions): MailTransport {
  return options.smtpUrl
    ? smtpTransport(options.smtpUrl, options.from)
    : localMailboxTransport(options.dataDir, options.from);
}

/*
 * Connection settings for a queue worker. One pooled connection: the worker sends one message at a time, and
 * reusing the connection saves a TCP, TLS and AUTH handshake per message when a burst goes out (an update to
 * every listed signatory). Timeouts are far below nodemailer's defaults (2 min to connect, 10 min idle) so a
 * dead peer fails fast and the worker moves on; the socket timeout also closes an idle pooled connection
 * before a typical server (Postfix: 300 s) would drop it under us. An operator's `?key=value` options in
 * SMTP_URL override these.
 */
const SMTP_DEFAULTS = {
  pool: true,
  maxConnections: 1,
  maxMessages: 100,
  connectionTimeout: 15_000,
  greetingTimeout: 15_000,
  socketTimeout: 60_000,
  dnsTimeout: 15_000,
} as const;

function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport({
    ...SMTP_DEFAULTS,
    ...shared.parseConnectionUrl(smtpUrl),
    // Not overridable. The pool would otherwise silently resend a message whose connection dropped mid-send,
    // outside the worker's lease and attempt count: every retry must be the worker's decision.
    maxRequeues: 0,
    // nodemailer's own logger would print envelopes, i.e. recipient addresses.
    logger: false,
    // Attachment paths are files we wrote; never let one make the server fetch a URL.
    disableUrlAccess: true,
  } as SMTPPool.Options & { maxRequeues: number });
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  const port = url.port || (secure ? "465" : "587");
  return {
    description: `out via SMTP through ${url.hostname}:${port}${secure ? " (TLS)" : ""}`,
    async send(mail) {
      try {
        const info = await transporter.sendMail(composable(mail, from));
        return { accepted: true, response: scrubAddresses(String(info.response ?? "")) };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

function localMailboxTransport(dataDir: string, from: string): MailTransport {
  return {
    description: `to the local mailbox in ${shownPath(path.join(dataDir, "mailbox"))} (SMTP_URL not set)`,
    async send(mail) {
      try {
        const raw = await new MailComposer(composable(mail, from)).compile().build();
        const file = await storeInLocalMailbox(dataDir, { date: mail.date, messageId: mail.messageId, raw });
        const storedAt = shownPath(file);
        return { accepted: true, response: `stored in ${storedAt}`, storedAt };
      } catch (error) {
        // A full or read-only disk is an operator's fix away: keep the message and try again later.
        throw new MailSendError("temporary", undefined, scrubAddresses(describeError(error)));
      }
    },
    async close() {},
  };
}

function composable(mail: OutboundMail, from: string): Mail.Options {
  return {
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html === null ? {} : { html: mail.html }),
    headers: mail.headers,
    attachments: mail.attachments,
    messageId: mail.messageId,
    date: mail.date,
    disableUrlAccess: true,
  };
}

/*
 * Connection-level failures (refused, reset, timed out, TLS, DNS) carry no reply code: the message never got
 * an answer, so it is retried. A 5xx to our AUTH is our credentials, not the message: treating it as
 * permanent would fail every queued message while the operator fixes SMTP_URL, so it is retried too.
 * A malformed envelope that nodemailer refuses before talking to the peer will never become valid.
 */
export function classifySmtpError(error: unknown): MailSendError {
  const e = (error ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const response = scrubAddresses(e.response || describeError(error));
  if (code !== undefined && code >= 500 && code < 600 && e.code !== "EAUTH") {
    return new MailSendError("permanent", code, response);
  }
  if (code === undefined && e.code === "EENVELOPE") return new MailSendError("permanent", code, response);
  return new MailSendError("temporary", code, response);
}

function describeError(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { code?: string; message?: string };
    return [e.code, e.message].filter(Boolean).join(": ") || "unknown error";
  }
  return String(error);
}

/** Peers quote the recipient in their answers ("550 5.1.1 <a@b.org>: User unknown"); keep none of it. */
export function scrubAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, "[address]").slice(0, 1000);
}

/** Relative to the working directory when inside it ("data/mailbox/…"), as an operator would type it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
