import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { languageName } from "../../../domain/letter-settings.ts";
import type { SessionUser } from "../../session.ts";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";
import { LetterTabs, tabsOf } from "./letter-tabs.tsx";

export type ShareAddresses = { kind: "letter" | "sign"; language: string; url: string }[];

/**
 * The share panel: each public address of the letter in a read-only field (selected in one tap on a phone,
 * copied without any script) with its QR code as an image that can be saved or printed on a flyer.
 */
export function SharePage({
  ctx,
  user,
  letter,
  addresses,
}: {
  ctx: PageContext;
  user: SessionUser;
  letter: EditableLetter;
  addresses: ShareAddresses;
}) {
  const { t, locale } = ctx;
  const title = letter.translations[0]?.title ?? letter.slug;
  return (
    <ConsoleLayout ctx={ctx} user={user} title={t("share.title", { title })}>
      <LetterTabs ctx={ctx} user={user} letter={tabsOf(letter)} current="/share" />
      <h1>{t("share.title", { title })}</h1>
      {letter.state === "collecting" || letter.state === "draft" ? (
        <p class="notice">{t("share.privateOnly")}</p>
      ) : null}
      {addresses.length === 0 ? null : (
        <div class="share-grid">
          {addresses.map((address) => {
            const id = `share-${address.kind}-${address.language}`;
            const qr = `/admin/letters/${letter.id}/share/qr.svg?for=${address.kind}&lang=${address.language}`;
            const label = t(address.kind === "letter" ? "share.letterAddress" : "share.signAddress", {
              language: languageName(address.language, locale),
            });
            return (
              <section class="share-address" key={id} aria-labelledby={`${id}-label`}>
                <h2 id={`${id}-label`}>{label}</h2>
                <input id={id} type="text" readOnly value={address.url} aria-labelledby={`${id}-label`} />
                <img src={qr} alt={t("share.qrAlt", { label })} width={180} height={180} />
                <p>
                  <a href={qr} download>
                    {t("share.qrDownload")}
                  </a>
                </p>
              </section>
            );
          })}
        </div>
      )}
    </ConsoleLayout>
  );
}
