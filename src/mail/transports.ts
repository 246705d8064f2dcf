import path from "node:path";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { storeInLocalMailbox } from "./mailbox.ts";
import { composable, describeError, MailSendError, type MailTransport, scrubAddresses } from "./outbound.ts";
import { smtpTransport } from "./smtp-transport.ts";

export {
  type Accepted,
  classifySmtpError,
  MailSendError,
  type MailTransport,
  type OutboundMail,
  scrubAddresses,
} from "./outbound.ts";

export type TransportOptions = {
  smtpUrl: string | undefined;
  dataDir: string;
  from: string;
  /** SMTP connections kept at most, one per message the worker sends at once. */
  connections?: number;
};

/** SMTP when SMTP_URL is set, otherwise the local mailbox under DATA_DIR. */
export function createMailTransport(options: TransportOptions): MailTransport {
  return options.smtpUrl
    ? smtpTransport(options.smtpUrl, options.from, options.connections)
    : localMailboxTransport(options.dataDir, options.from);
}

function localMailboxTransport(dataDir: string, from: string): MailTransport {
  return {
    description: `to the local mailbox in ${shownPath(path.join(dataDir, "mailbox"))} (SMTP_URL not set)`,
    async send(mail, now = new Date()) {
      try {
        // The mailbox copy exists so an operator can follow its link; a signer's address is not needed for
        // that, and an undisclosed signer's must not sit in a file (or on the mailbox page).
        const kept = mail.signerCaused ? { ...mail, to: "undisclosed-recipients:;" } : mail;
        const raw = await new MailComposer(composable(kept, from)).compile().build();
        const file = await storeInLocalMailbox(dataDir, { messageId: mail.messageId, raw }, now);
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

/** Relative to the working directory when inside it ("data/mailbox/…"), as an operator would type it. */
function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}
