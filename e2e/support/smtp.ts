import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll } from "vitest";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";

/*
 * A real SMTP server (smtp-server) beside the journey's server, for journeys that read the mail as it left
 * the outbox over SMTP. Start it before useJourney so the server can be given its address:
 *
 *   const peer = useSmtpPeer();
 *   const journey = useJourney({ env: () => ({ SMTP_URL: peer().url }) });
 */

export function useSmtpPeer(): () => SmtpPeer {
  let peer: SmtpPeer | undefined;
  beforeAll(async () => {
    peer = await startSmtpPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });
  return () => {
    if (!peer) throw new Error("useSmtpPeer: the peer starts in beforeAll");
    return peer;
  };
}

/** The first mail the peer accepted for `address` whose subject starts so, waiting for the outbox to send it. */
export async function mailTo(
  peer: SmtpPeer,
  address: string,
  subjectStart: string,
  timeoutMs = 30_000,
): Promise<ParsedMail> {
  const sent = () =>
    peer.accepted.find(
      (mail) =>
        (mail.subject ?? "").startsWith(subjectStart) &&
        [mail.to].flat().some((to) => to?.value.some((a) => a.address === address)),
    );
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const mail = sent();
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail "${subjectStart}…" to ${address} reached the SMTP peer`);
}
