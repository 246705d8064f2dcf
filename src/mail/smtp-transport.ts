import { Readable } from "node:stream";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import shared from "nodemailer/lib/shared/index.js";
import SMTPConnection from "nodemailer/lib/smtp-connection/index.js";
import {
  type Accepted,
  classifySmtpError,
  composable,
  type MailTransport,
  scrubAddresses,
} from "./outbound.ts";

/*
 * Mail over SMTP, on up to `connections` kept connections, one message at a time on each (the outbox worker
 * sends that many at once: MAIL_CONCURRENCY). Reusing a connection saves a TCP, TLS and AUTH handshake per
 * message when a burst goes out.
 *
 * The message's last bytes are held back until the worker has recorded that it handed the message over
 * (`handOver`): the mail server cannot take a message before its end, so a worker that dies before that
 * record leaves a message that certainly did not arrive, and one that dies after it leaves one that
 * probably did (mail/worker.ts decides what each means). The record is written after the server said yes to
 * the sender and the recipient and while the body is on its way, so it adds no round trip of its own.
 *
 * Timeouts are far below nodemailer's defaults (2 min to connect, 10 min idle) so a dead peer fails fast
 * and the worker moves on; the socket timeout also closes an idle connection before a typical server
 * (Postfix: 300 s) would drop it under us. An operator's `?key=value` options in SMTP_URL override these.
 */

const SMTP_DEFAULTS = {
  connectionTimeout: 15_000,
  greetingTimeout: 15_000,
  socketTimeout: 60_000,
  dnsTimeout: 15_000,
} as const;
/** A fresh connection after this many messages, as a pool would (servers limit messages per session). */
const MESSAGES_PER_CONNECTION = 100;
/** How much of the message's end waits for the hand-over record: the server needs it to end the message. */
const HELD_BACK_BYTES = 2;

type Open = { connection: SMTPConnection; sent: number };

export function smtpTransport(smtpUrl: string, from: string, connections = 1): MailTransport {
  const { auth, ...options } = {
    ...SMTP_DEFAULTS,
    ...shared.parseConnectionUrl(smtpUrl),
  } as SMTPConnection.Options & {
    auth?: { user?: string; pass?: string };
  };
  const url = new URL(smtpUrl);
  const secure = url.protocol === "smtps:";
  const port = url.port || (secure ? "465" : "587");
  // Every connection, to close them all; the idle ones wait for the next send.
  const live = new Set<SMTPConnection>();
  const idle: Open[] = [];
  // Sends beyond `connections` wait their turn here.
  let sending = 0;
  const waiting: (() => void)[] = [];

  const drop = (connection: SMTPConnection) => {
    live.delete(connection);
    const i = idle.findIndex((o) => o.connection === connection);
    if (i >= 0) idle.splice(i, 1);
    connection.close();
  };

  const connect = () =>
    new Promise<Open>((resolve, reject) => {
      // nodemailer's own logger would print envelopes, i.e. recipient addresses.
      const connection = new SMTPConnection({ ...options, logger: false });
      live.add(connection);
      // Errors while idle (a timeout, the server hanging up) only end the connection; the next send opens another.
      connection.on("error", () => {});
      connection.once("end", () => drop(connection));
      const fail = (error: unknown) => {
        drop(connection);
        reject(error);
      };
      connection.once("error", fail);
      connection.connect(() => {
        const ready = () => {
          connection.removeListener("error", fail);
          resolve({ connection, sent: 0 });
        };
        if (!auth?.user) return ready();
        connection.login({ user: auth.user, pass: auth.pass ?? "" }, (error) =>
          error ? fail(error) : ready(),
        );
      });
    });

  const turn = async <T>(work: () => Promise<T>): Promise<T> => {
    if (sending >= connections) await new Promise<void>((resolve) => waiting.push(resolve));
    else sending += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiting send, if any.
      const next = waiting.shift();
      if (next) next();
      else sending -= 1;
    }
  };

  const sendOnce = async (raw: Buffer, envelope: SMTPConnection.Envelope, handOver?: () => Promise<void>) => {
    const current = idle.pop() ?? (await connect());
    current.sent += 1;
    try {
      const response = await new Promise<string>((resolve, reject) => {
        const lost = (error?: unknown) => {
          cleanup();
          reject(
            error ?? Object.assign(new Error("Connection closed unexpectedly"), { code: "ECONNECTION" }),
          );
        };
        const ended = () => lost();
        const cleanup = () => {
          current.connection.removeListener("error", lost);
          current.connection.removeListener("end", ended);
        };
        current.connection.once("error", lost);
        current.connection.once("end", ended);
        current.connection.send(envelope, handOver ? heldBack(raw, handOver) : raw, (error, info) => {
          cleanup();
          if (error) reject(error);
          else resolve(String(info.response ?? ""));
        });
      });
      if (current.sent < MESSAGES_PER_CONNECTION && live.has(current.connection)) idle.push(current);
      else drop(current.connection);
      return response;
    } catch (error) {
      // After a refusal or a broken send the session is in no known state: start the next one afresh.
      drop(current.connection);
      throw error;
    }
  };

  return {
    description: `out via SMTP through ${url.hostname}:${port}${secure ? " (TLS)" : ""}`,
    async send(mail, _now, handOver): Promise<Accepted> {
      const composed = new MailComposer(composable(mail, from)).compile();
      const envelope = composed.getEnvelope() as SMTPConnection.Envelope;
      const raw = await composed.build();
      try {
        return {
          accepted: true,
          response: scrubAddresses(await turn(() => sendOnce(raw, envelope, handOver))),
        };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    async close() {
      for (const connection of live) drop(connection);
    },
  };
}

/** The message, its end sent only once `handOver` has resolved (and never if it fails). */
function heldBack(raw: Buffer, handOver: () => Promise<void>): Readable {
  let step = 0;
  return new Readable({
    read() {
      if (step === 0) {
        step = 1;
        this.push(raw.subarray(0, raw.length - HELD_BACK_BYTES));
      } else if (step === 1) {
        step = 2;
        handOver().then(
          () => {
            this.push(raw.subarray(raw.length - HELD_BACK_BYTES));
            this.push(null);
          },
          (error: unknown) => this.destroy(error as Error),
        );
      }
    },
  });
}
