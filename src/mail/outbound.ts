import type Mail from "nodemailer/lib/mailer/index.js";

/*
 * What the outbox worker and the transports share: the message as handed over, the answer, and the error
 * that says whether to try again.
 */

/** One message as the worker hands it to a transport. */
export type OutboundMail = {
  /** Fixed when the message was queued, so every attempt carries the same one. */
  messageId: string;
  /** When the message was queued: also fixed, so retries are the same message, not a new one. */
  date: Date;
  /** Caused by a signer's action: the local mailbox keeps no copy of its recipient's address. */
  signerCaused?: boolean;
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
  /**
   * Resolves once the peer took responsibility for the message; throws a MailSendError otherwise. A
   * transport that can lose the peer's answer (SMTP) awaits `handOver` before the message's last bytes and
   * sends nothing more if it fails; see mail/smtp-transport.ts.
   */
  send(mail: OutboundMail, now?: Date, handOver?: () => Promise<void>): Promise<Accepted>;
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

export function composable(mail: OutboundMail, from: string): Mail.Options {
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

export function describeError(error: unknown): string {
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
