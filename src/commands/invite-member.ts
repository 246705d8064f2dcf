import { z } from "zod";
import { AppError, invalidFields } from "../domain/app-error.ts";
import { CAMPAIGN_ROLES } from "../domain/roles.ts";
import { textProblems } from "../domain/text-input.ts";
import { type Locale, translator } from "../i18n/index.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { type Actor, actorUserId, auditActor, authorise } from "../policies/actor.ts";
import { recordAudit } from "../store/audit.ts";
import type { CommandDeps } from "../store/deps.ts";
import { issueToken } from "../store/one-time-tokens.ts";
import { normaliseEmail } from "../store/users.ts";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const inviteSchema = z.object({
  email: z
    .string({ error: "field.required" })
    .trim()
    .min(1, "field.required")
    .max(254, "field.tooLong")
    .pipe(z.email("field.email")),
  role: z.enum(CAMPAIGN_ROLES, "field.required"),
});

export type InviteMemberInput = {
  actor: Actor;
  campaignId: number;
  form: unknown;
  /** The inviter's language, in which the invitation is written (the invitee's is not known yet). */
  locale: Locale;
  inviterName: string;
};

/**
 * Invites someone by email into a campaign with a role: a single-use link, valid seven days, sent through
 * the outbox. Inviting the same address to the same campaign again replaces the earlier link. Someone who
 * already belongs to the campaign is a field error (change their role instead).
 */
export async function inviteMember(
  deps: CommandDeps,
  input: InviteMemberInput,
  now: Date,
): Promise<{ inviteId: number }> {
  authorise(input.actor, "team.manage", input.campaignId);
  const badText = textProblems(input.form);
  if (Object.keys(badText).length > 0) throw new AppError("validation", {}, badText);
  const parsed = inviteSchema.safeParse(input.form ?? {});
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  const email = normaliseEmail(parsed.data.email);
  const { role } = parsed.data;
  return deps.store.db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom("campaigns")
      .select(["id", "name"])
      .where("id", "=", input.campaignId)
      .executeTakeFirst();
    if (!campaign) throw new AppError("not_found");
    const member = await trx
      .selectFrom("campaign_members")
      .innerJoin("users", "users.id", "campaign_members.user_id")
      .select("users.id")
      .where("campaign_members.campaign_id", "=", campaign.id)
      .where("users.email", "=", email)
      .executeTakeFirst();
    if (member) throw new AppError("validation", {}, { email: "team.alreadyMember" });

    const { id, token } = await issueToken(
      trx,
      {
        purpose: "invite",
        invite: { campaignId: campaign.id, email, role, invitedBy: actorUserId(input.actor) },
        ttlMs: INVITE_TTL_MS,
      },
      now,
    );
    const t = translator(input.locale);
    await enqueueMail(
      trx,
      {
        purpose: "invite",
        to: email,
        subject: t("invite.mailSubject", { campaign: campaign.name }),
        text: t("invite.mailBody", {
          inviter: input.inviterName,
          campaign: campaign.name,
          role: t(`role.${role}`),
          link: `${deps.config.baseUrl}/admin/invite/${token}`,
        }),
      },
      now,
      new URL(deps.config.baseUrl).hostname,
    );
    await recordAudit(
      trx,
      {
        actor: auditActor(input.actor),
        action: "team.invite",
        subjectType: "invite",
        subjectId: id,
        campaignId: campaign.id,
        detail: { email, role },
      },
      now,
    );
    return { inviteId: id };
  });
}
