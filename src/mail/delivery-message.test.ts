import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsOf } from "../../test/counts.ts";
import { type SmtpPeer, startSmtpPeer } from "../../test/smtp-peer.ts";
import { type DeliveredLetter, deliveryMessage, htmlToText } from "./delivery-message.ts";
import { createMailTransport } from "./transports.ts";

const LETTER: DeliveredLetter = {
  language: "en",
  title: "Open letter on forced returns",
  subject: "Stop deportations to Myanmar",
  addressees: [{ heading: "The Ministers of the Interior of", names: ["Thailand", "Malaysia"] }],
  salutation: "Dear Ministers,",
  body: "We, the undersigned {{total}} organisations, call on you *urgently*:[^1]\n\n1. Stop all returns.\n2. Grant access to [UNHCR](https://www.unhcr.org).\n\n[^1]: As reported in **2026**.",
  closing: "Yours sincerely,",
  letterDate: "2026-03-01",
  signers: "organisations",
  countStatementTemplate: null,
  counts: countsOf({ organisation: { listed: 2, undisclosed: 1 }, waiting: 0 }),
  signatories: [
    {
      category: "Myanmar",
      signatories: [
        { name: "Athan", nameAlt: "အသံ" },
        { name: "Golden Valley Network", nameAlt: null },
      ],
    },
  ],
};
const LINKS = {
  letter: "https://letters.example.org/letters/forced-returns",
  signatories: "https://letters.example.org/letters/forced-returns/signatories",
};

describe("the delivery mail", () => {
  it("numbers Burmese demands ၁။ ၂။ in both parts, the HTML list's own numbers hidden inline", () => {
    const mail = deliveryMessage(
      { ...LETTER, language: "my", body: "တောင်းဆိုချက်များ –\n၁။ ပထမ\n၂။ ဒုတိယ" },
      LINKS,
    );
    expect(mail.html).toContain('<ol class="burmese-numbers" style="list-style: none">');
    expect(mail.text).toContain("တောင်းဆိုချက်များ –\n\n၁။ ပထမ\n၂။ ဒုတိယ");
    expect(mail.text).not.toContain("1. ");
  });

  it("says the count in the coalition's own wording when the letter sets a template for its language", () => {
    const mail = deliveryMessage(
      {
        ...LETTER,
        countStatementTemplate:
          "This letter is endorsed by {{total}} organisations, including the {{listed}} listed below and {{undisclosed}} which chose not to be named.",
      },
      LINKS,
    );
    for (const part of [mail.text, mail.html])
      expect(part).toContain(
        "This letter is endorsed by 3 organisations, including the 2 listed below and 1 which chose not to be named.",
      );
    expect(mail.text).not.toContain("including the 2 organisations listed below");
  });

  it("renders the letter as its page does: no Markdown, endnotes as notes, the listed signatories below", () => {
    const mail = deliveryMessage(LETTER, LINKS);
    expect(mail.html).toContain("<em>urgently</em>");
    expect(mail.html).toMatch(/<ol>\s*<li>Stop all returns.<\/li>/);
    expect(mail.html).toContain('<ol class="endnotes" type="i">');
    for (const part of [mail.text, mail.html]) {
      expect(part).not.toMatch(/\[\^1\]|\*urgently\*|\*\*2026\*\*|\{\{total\}\}/);
      expect(part).toContain("We, the undersigned 3 organisations");
    }
    expect(mail.text).toContain("call on you urgently:[i]");
    expect(mail.text).toContain("1. Stop all returns.\n2. Grant access to UNHCR (https://www.unhcr.org).");
    expect(mail.text).toContain("Notes\n\ni. As reported in 2026.");
    expect(mail.text).not.toContain("\u21a9");
    // "listed below": the list is below the statement.
    const statement = mail.text.indexOf("including the 2 organisations listed below");
    expect(statement).toBeGreaterThan(0);
    expect(mail.text.indexOf("- Athan (အသံ)")).toBeGreaterThan(statement);
    expect(mail.text).toContain(`The list of signatories online (${LINKS.signatories})`);
  });

  it("decodes what the HTML escaped, and lists items the way the page numbers them", () => {
    expect(htmlToText("<p>A &amp; B &lt;C&gt; &#39;d&#39; &#x1000;</p>")).toBe("A & B <C> 'd' က\n");
    expect(htmlToText('<ol start="3"><li>three</li><li>four</li></ol>')).toBe("3. three\n4. four\n");
  });

  describe("over a real SMTP conversation", () => {
    let peer: SmtpPeer;
    beforeAll(async () => {
      peer = await startSmtpPeer();
    });
    afterAll(() => peer.close());

    it("arrives with an HTML part a mail reader shows, a clean text part and the coordinator's Reply-To", async () => {
      const mail = deliveryMessage(LETTER, LINKS);
      const transport = createMailTransport({
        smtpUrl: peer.url,
        dataDir: "/nonexistent",
        from: "letters@example.org",
      });
      await transport.send({
        messageId: "<delivery-test@example.org>",
        date: new Date("2026-03-02T00:00:00.000Z"),
        to: "minister@interior.example",
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { "Reply-To": "coalition@example.org" },
        attachments: [],
      });
      await transport.close();
      const received = peer.accepted.find((m) => m.messageId === "<delivery-test@example.org>")!;
      expect(received.replyTo?.text).toBe("coalition@example.org");
      expect(received.html).toContain("<em>urgently</em>");
      expect(received.html).toContain("<li>Golden Valley Network</li>");
      expect(received.text).toContain("call on you urgently:[i]");
      expect(received.text).not.toContain("[^1]");
    });
  });
});
