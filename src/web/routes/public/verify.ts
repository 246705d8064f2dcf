import { AppError } from "../../../domain/app-error.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { letterLogPosition } from "../../../queries/letter-log-position.ts";
import type { RouteModule } from "../../app-deps.ts";
import { cachePublicly } from "../../http/public-caching.ts";
import { SLUG } from "../../http/slugs.ts";
import { publicPageContext, sendPage } from "../../render.ts";
import { VerifyPage } from "../../views/public/verify-page.tsx";

/**
 * `/letters/:slug/verify`: how to check a letter's count, and a signer's receipt checked in the browser.
 * The same page for everyone: nothing a reader does here reaches the server but public log requests.
 */
export const verifyRoutes: RouteModule = async (app, { store, config }) => {
  app.get<{ Params: { slug: string } }>("/letters/:slug/verify", async (request, reply) => {
    const { slug } = request.params;
    if (!SLUG.test(slug)) throw new AppError("not_found");
    const letter = await getPublicLetter(store.db, {
      slug,
      language: request.locale,
      withSignatories: false,
    });
    if (!letter) throw new AppError("not_found");
    const log = await letterLogPosition(store.db, letter.id);
    cachePublicly(reply, request.user);
    return sendPage(
      reply,
      VerifyPage({ ctx: publicPageContext(request), letter, log, logUrl: `${config.baseUrl}/log` }),
    );
  });
};
