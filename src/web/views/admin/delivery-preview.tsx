import type { DeliveryMessage } from "../../../mail/delivery-message.ts";
import type { PageContext } from "../layout.tsx";

/*
 * The delivery mail shown before it is sent (recipients-page.tsx): subject, recipients, Reply-To and the HTML
 * part as officials will read it. That HTML is the letter renderer's sanitised output with every other
 * value escaped (mail/delivery-message.ts), the same the recipients get, so it is shown as it is.
 */

export type DeliveryPreviewShown = DeliveryMessage & { replyTo: string | null; recipients: string[] };

/** The body of the mail's HTML document: what a mail reader shows. */
function bodyOf(html: string): string {
  return /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? "";
}

export function DeliveryPreview({ ctx, preview }: { ctx: PageContext; preview: DeliveryPreviewShown }) {
  const { t } = ctx;
  return (
    <section class="mail-preview" aria-labelledby="mail-preview-title" data-mail-preview>
      <h2 id="mail-preview-title">{t("delivery.previewTitle")}</h2>
      <p>
        {t("delivery.previewIntro", {
          count: preview.recipients.length,
          names: preview.recipients.join(", "),
        })}
      </p>
      <p>
        <strong>{t("delivery.previewSubject", { subject: preview.subject })}</strong>
      </p>
      <p class="muted">
        {preview.replyTo
          ? t("delivery.previewReplyTo", { address: preview.replyTo })
          : t("delivery.previewNoReplyTo")}
      </p>
      <div class="mail-body" lang={/lang="([a-z]+)"/.exec(preview.html)?.[1]}>
        <div dangerouslySetInnerHTML={{ __html: bodyOf(preview.html) }} />
      </div>
    </section>
  );
}
