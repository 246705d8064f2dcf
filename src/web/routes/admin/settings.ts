import { setSigningPaused } from "../../../commands/set-signing-paused.ts";
import { AppError } from "../../../domain/app-error.ts";
import { SIGNING_PAUSED_SETTING } from "../../../domain/sign-on-rules.ts";
import { getSetting } from "../../../store/settings.ts";
import { actorOf } from "../../../store/users.ts";
import type { RouteModule } from "../../app-deps.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import { SettingsPage } from "../../views/admin/settings-page.tsx";

/**
 * Server settings that operators switch from the console (owners only, "settings.edit"): for now the
 * "pause signing" switch. The forms carry only a button, so a failed CSRF check has nothing typed to keep
 * and the default refusal fits; every change is audited by the command.
 */
export const settingsRoutes: RouteModule = async (app, deps) => {
  app.get("/admin/settings", async (request, reply) => {
    const user = requirePermission(request, "settings.edit");
    const changed = (request.query as { changed?: unknown }).changed;
    return sendPage(
      reply,
      SettingsPage({
        ctx: pageContext(request, reply),
        user,
        signingPaused: (await getSetting(deps.store.db, SIGNING_PAUSED_SETTING)) === "1",
        notice:
          changed === "paused"
            ? request.t("settings.pausedNotice")
            : changed === "resumed"
              ? request.t("settings.resumedNotice")
              : undefined,
      }),
    );
  });

  app.post("/admin/settings/signing", async (request, reply) => {
    const user = requirePermission(request, "settings.edit");
    const wanted = (request.body as { signing?: unknown } | undefined)?.signing;
    if (wanted !== "pause" && wanted !== "resume") throw new AppError("validation");
    const result = await setSigningPaused(
      deps,
      { actor: actorOf(user), paused: wanted === "pause" },
      deps.now(),
    );
    return reply.redirect(`/admin/settings?changed=${result.paused ? "paused" : "resumed"}`, 303);
  });
};
