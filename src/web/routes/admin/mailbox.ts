import { readLocalMailbox } from "../../../mail/mailbox.ts";
import type { RouteModule } from "../../app-deps.ts";
import { pageContext, sendPage } from "../../render.ts";
import { requirePermission } from "../../session.ts";
import { MailboxPage } from "../../views/admin/mailbox-page.tsx";

/** The local mailbox: owner only, because it holds other people's reset links. */
export const mailboxRoutes: RouteModule = async (app, deps) => {
  app.get("/admin/mailbox", async (request, reply) => {
    const user = requirePermission(request, "mailbox.read");
    const mails = await readLocalMailbox(deps.config.dataDir, 100, deps.now());
    return sendPage(
      reply,
      MailboxPage({
        ctx: pageContext(request, reply),
        user,
        mails,
        smtpConfigured: deps.config.smtpUrl !== undefined,
      }),
    );
  });
};
