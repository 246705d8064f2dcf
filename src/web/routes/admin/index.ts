import { loadUser, requireSignIn } from "../../session.ts";
import type { RouteModule } from "../index.ts";
import { auditRoutes } from "./audit.ts";
import { campaignConsoleRoutes } from "./campaigns.ts";
import { consoleRoutes } from "./console.ts";
import { endorsementConsoleRoutes } from "./endorsements.ts";
import { exportConsoleRoutes } from "./export.ts";
import { letterConsoleRoutes } from "./letters.ts";
import { loginRoutes } from "./login.ts";
import { mailboxRoutes } from "./mailbox.ts";
import { passwordRoutes } from "./password.ts";
import { reviewRoutes } from "./review.ts";
import { securityRoutes } from "./security.ts";
import { settingsRoutes } from "./settings.ts";
import { setupRoutes } from "./setup.ts";

/**
 * Everything under /admin. The whole console knows who is signed in (loadUser); its pages past sign-in sit
 * in an inner scope that sends anyone without a complete session to the sign-in page first.
 */
export const adminRoutes: RouteModule = async (app, deps) => {
  await app.register(async (admin) => {
    admin.addHook("preHandler", loadUser(deps));
    await setupRoutes(admin, deps);
    await loginRoutes(admin, deps);
    await passwordRoutes(admin, deps);
    await admin.register(async (signedIn) => {
      signedIn.addHook("preHandler", requireSignIn);
      await consoleRoutes(signedIn, deps);
      await securityRoutes(signedIn, deps);
      await mailboxRoutes(signedIn, deps);
      await settingsRoutes(signedIn, deps);
      await campaignConsoleRoutes(signedIn, deps);
      await letterConsoleRoutes(signedIn, deps);
      await reviewRoutes(signedIn, deps);
      await endorsementConsoleRoutes(signedIn, deps);
      await exportConsoleRoutes(signedIn, deps);
      await auditRoutes(signedIn, deps);
    });
  });
};
