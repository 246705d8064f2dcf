import type { FastifyRequest } from "fastify";
import { AppError } from "../../../domain/app-error.ts";
import type { EditableLetter } from "../../../domain/editable-letter.ts";
import { READABLE_LETTER_STATES } from "../../../domain/public-letters.ts";
import { isLocale } from "../../../i18n/index.ts";
import { getLetterForEditing } from "../../../queries/get-letter-for-editing.ts";
import type { RouteModule } from "../../app-deps.ts";
import { ID } from "../../http/ids.ts";
import { qrSvg } from "../../http/qr-code.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission, requireUser, type SessionUser } from "../../session.ts";
import { type ShareAddresses, SharePage } from "../../views/admin/share-page.tsx";

type Params = { id: string };
type QrQuery = { for?: string; lang?: string };

/**
 * `/admin/letters/:id/share`: the addresses coordinators hand out (the letter, its sign form, in each
 * language), ready to copy, each with a QR code drawn here as SVG (no third-party service sees the address).
 * The private sign-on link is not among them: only its hash is stored, and it is shown once when made.
 */
export const shareRoutes: RouteModule = async (app, deps) => {
  const { db } = deps.store;

  async function letterFor(request: FastifyRequest<{ Params: Params }>): Promise<{
    user: SessionUser;
    letter: EditableLetter;
  }> {
    requireUser(request);
    const letter = ID.test(request.params.id)
      ? await getLetterForEditing(db, Number(request.params.id))
      : undefined;
    if (!letter) throw new AppError("not_found");
    return { user: requirePermission(request, "campaign.view", letter.campaign.id), letter };
  }

  app.get<{ Params: Params }>("/admin/letters/:id/share", async (request, reply) => {
    const { user, letter } = await letterFor(request);
    return sendPage(
      reply,
      SharePage({
        ctx: pageContext(request, reply),
        user,
        letter,
        addresses: addressesOf(deps.config.baseUrl, letter),
      }),
    );
  });

  app.get<{ Params: Params; Querystring: QrQuery }>(
    "/admin/letters/:id/share/qr.svg",
    async (request, reply) => {
      const { letter } = await letterFor(request);
      const language = isLocale(request.query.lang) ? request.query.lang : letter.defaultLanguage;
      const shared = addressesOf(deps.config.baseUrl, letter).find(
        (a) => a.kind === request.query.for && a.language === language,
      );
      if (!shared) throw new AppError("not_found");
      const svg = await qrSvg(shared.url);
      return reply
        .type("image/svg+xml; charset=utf-8")
        .header("cache-control", "private, max-age=300")
        .header("content-disposition", `inline; filename="${letter.slug}-${shared.kind}-${language}.svg"`)
        .send(svg);
    },
  );
};

/**
 * The public addresses of a letter, per language it has: its page once readers can open it, its sign form
 * once that takes endorsements from anyone (a published letter). A collecting letter has only its private link.
 */
function addressesOf(baseUrl: string, letter: EditableLetter): ShareAddresses {
  const readable = READABLE_LETTER_STATES.includes(letter.state);
  const signable = letter.state === "published";
  const languages = letter.translations.map((t) => t.language).filter(isLocale);
  const query = (language: string) => (language === letter.defaultLanguage ? "" : `?lang=${language}`);
  return languages.flatMap((language) => [
    ...(readable
      ? [{ kind: "letter" as const, language, url: `${baseUrl}/letters/${letter.slug}${query(language)}` }]
      : []),
    ...(signable
      ? [{ kind: "sign" as const, language, url: `${baseUrl}/letters/${letter.slug}/sign${query(language)}` }]
      : []),
  ]);
}
