import type { LetterTransition } from "../../../domain/letter-states.ts";
import type { SessionUser } from "../../session.ts";
import { PostForm, Problem } from "../components/form.tsx";
import type { PageContext } from "../layout.tsx";
import { ConsoleLayout } from "./console-layout.tsx";

/** The confirmation step before a state change: a page of its own, so it works without script. */
export function LetterStatePage({
  ctx,
  user,
  letterId,
  title,
  transition,
  problem,
}: {
  ctx: PageContext;
  user: SessionUser;
  letterId: number;
  title: string;
  transition: LetterTransition;
  problem?: string | undefined;
}) {
  const { t } = ctx;
  const action = t(`letters.transition.${transition}`);
  return (
    <ConsoleLayout ctx={ctx} user={user} title={action}>
      <h1>{action}</h1>
      <Problem message={problem} />
      <p>{t(`letters.confirm.${transition}`, { title })}</p>
      <PostForm ctx={ctx} action={`/admin/letters/${letterId}/state/${transition}`} class="inline">
        <button type="submit">{action}</button>
      </PostForm>{" "}
      <a href={`/admin/letters/${letterId}`}>{t("common.cancel")}</a>
    </ConsoleLayout>
  );
}
