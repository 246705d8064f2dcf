import { AppError } from "../../../domain/app-error.ts";
import type { RouteModule } from "../../app-deps.ts";
import { loadUser, requireSignIn } from "../../session.ts";
import { auditRoutes } from "./audit.ts";
import { campaignKeyRoutes } from "./campaign-key.ts";
import { campaignConsoleRoutes } from "./campaigns.ts";
import { consoleRoutes } from "./console.ts";
import { endorsementConsoleRoutes } from "./endorsements.ts";
import { exportConsoleRoutes } from "./export.ts";
import { importRoutes } from "./import.ts";
import { inviteRoutes } from "./invite.ts";
import { letterPublishingRoutes } from "./letter-publishing.ts";
import { letterConsoleRoutes } from "./letters.ts";
import { listingRoutes } from "./listing.ts";
import { logAuditRoutes } from "./log-audit.ts";
import { loginRoutes } from "./login.ts";
import { mailboxRoutes } from "./mailbox.ts";
import { passwordRoutes } from "./password.ts";
import { recipientConsoleRoutes } from "./recipients.ts";
import { reviewRoutes } from "./review.ts";
import { securityRoutes } from "./security.ts";
import { sessionRoutes } from "./sessions.ts";
import { settingsRoutes } from "./settings.ts";
import { setupRoutes } from "./setup.ts";
import { shareRoutes } from "./share.ts";
import { stanceConsoleRoutes } from "./stances.ts";
import { teamRoutes } from "./team.ts";
import { letterUpdateConsoleRoutes } from "./updates.ts";

/**
 * Everything under /admin. The whole console knows who is signed in (loadUser); its pages past sign-in sit
 * in an inner scope that sends anyone without a complete session to the sign-in page first. Both run as
 * the request arrives, before its body is read: an upload from someone not signed in is refused unread.
 */
export const adminRoutes: RouteModule = async (app, deps) => {
  await app.register(async (admin) => {
    admin.addHook("onRequest", loadUser(deps));
    await setupRoutes(admin, deps);
    await loginRoutes(admin, deps);
    await passwordRoutes(admin, deps);
    await inviteRoutes(admin, deps);
    await admin.register(async (signedIn) => {
      signedIn.addHook("onRequest", requireSignIn);
      // A campaign requiring TOTP, opened by a session without a code: a page goes to set one up or give one
      // (and comes back); anything else falls through to the usual error page.
      signedIn.setErrorHandler(async (error, request, reply) => {
        if (error instanceof AppError && error.code === "second_factor_required" && request.method === "GET")
          return reply.redirect(`/admin/security?required=1&next=${encodeURIComponent(request.url)}`, 303);
        throw error;
      });
      await consoleRoutes(signedIn, deps);
      await securityRoutes(signedIn, deps);
      await mailboxRoutes(signedIn, deps);
      await settingsRoutes(signedIn, deps);
      await campaignConsoleRoutes(signedIn, deps);
      await letterConsoleRoutes(signedIn, deps);
      await letterPublishingRoutes(signedIn, deps);
      await reviewRoutes(signedIn, deps);
      await listingRoutes(signedIn, deps);
      await logAuditRoutes(signedIn, deps);
      await endorsementConsoleRoutes(signedIn, deps);
      await exportConsoleRoutes(signedIn, deps);
      await importRoutes(signedIn, deps);
      await auditRoutes(signedIn, deps);
      await teamRoutes(signedIn, deps);
      await campaignKeyRoutes(signedIn, deps);
      await sessionRoutes(signedIn, deps);
      await recipientConsoleRoutes(signedIn, deps);
      await stanceConsoleRoutes(signedIn, deps);
      await letterUpdateConsoleRoutes(signedIn, deps);
      await shareRoutes(signedIn, deps);
    });
  });
};
