import { AppError } from "../../../domain/app-error.ts";
import { getPublicLetter } from "../../../queries/get-public-letter.ts";
import { listPublishedLetters } from "../../../queries/list-published-letters.ts";
import { sendPage } from "../../render.ts";
import { HomePage } from "../../views/public/home-page.tsx";
import { LetterPage } from "../../views/public/letter-page.tsx";
import type { RouteModule } from "../index.ts";
import { cachePublicly, publicPageContext, SLUG } from "./public-page.ts";

/** `/` lists the published letters; `/letters/:slug` shows one (drafts and unknown slugs are 404). */
export const letterRoutes: RouteModule = async (app, { store }) => {
  app.get("/", async (request, reply) => {
    const letters = await listPublishedLetters(store.db, { language: request.locale });
    cachePublicly(request, reply);
    return sendPage(reply, HomePage({ ctx: publicPageContext(request), letters }));
  });

  app.get<{ Params: { slug: string } }>("/letters/:slug", async (request, reply) => {
    const { slug } = request.params;
    const letter = SLUG.test(slug)
      ? await getPublicLetter(store.db, { slug, language: request.locale })
      : undefined;
    if (!letter) throw new AppError("not_found");
    cachePublicly(request, reply);
    return sendPage(reply, LetterPage({ ctx: publicPageContext(request), letter }));
  });
};
