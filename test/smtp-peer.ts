import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

/** How the peer answers: nothing means "250 accepted"; otherwise the reply code and text to send instead. */
export type PeerAnswer = { code: number; message: string } | undefined;

export type SmtpPeer = {
  port: number;
  url: string;
  /** Every message the peer accepted (answered 250 to its final "."), parsed, in order. */
  accepted: ParsedMail[];
  /** Answer to RCPT TO, per recipient. */
  onRecipient: (address: string) => PeerAnswer;
  /** Answer to the end of DATA; `attempt` counts how often this Message-ID reached that point, from 1. */
  onMessage: (mail: ParsedMail, attempt: number) => PeerAnswer | Promise<PeerAnswer>;
  /** How many copies of a Message-ID the peer accepted. */
  count(messageId: string): number;
  close(): Promise<void>;
};

/**
 * A real SMTP server (npm smtp-server) on a random local port, in the test's process, so the mail code is
 * tested over a real SMTP conversation. It accepts everything until a test sets onRecipient / onMessage to
 * defer (4xx) or reject (5xx). With `auth`, it advertises AUTH and accepts only those credentials.
 */
export async function startSmtpPeer(
  options: { auth?: { user: string; pass: string } } = {},
): Promise<SmtpPeer> {
  const reachedData = new Map<string, number>();
  const peer: Omit<SmtpPeer, "port" | "url"> = {
    accepted: [],
    onRecipient: () => undefined,
    onMessage: () => undefined,
    count: (messageId) => peer.accepted.filter((mail) => mail.messageId === messageId).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    logger: false,
    // Pooled client connections stay open; do not let closing the peer wait 30 s for them.
    closeTimeout: 100,
    hideSTARTTLS: true,
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(reply({ code: 535, message: "5.7.8 Authentication credentials invalid" }));
      }
    },
    onRcptTo(address, _session, callback) {
      const answer = peer.onRecipient(address.address);
      callback(answer ? reply(answer) : null);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const key = mail.messageId ?? "";
          const attempt = (reachedData.get(key) ?? 0) + 1;
          reachedData.set(key, attempt);
          const answer = await peer.onMessage(mail, attempt);
          if (answer) return callback(reply(answer));
          peer.accepted.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  // A client killed mid-conversation resets its connections (the tests kill servers on purpose): that is
  // the client's story, told by what the peer accepted, not an error of the peer's.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(peer, { port, url: `smtp://127.0.0.1:${port}` });
}

function reply(answer: { code: number; message: string }): Error {
  return Object.assign(new Error(answer.message), { responseCode: answer.code });
}
