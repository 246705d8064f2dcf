import { confirmSignature } from "../src/commands/confirm-signature.ts";
import { signLetter } from "../src/commands/sign-letter.ts";
import type { Store } from "../src/store/db.ts";
import type { CommandDeps } from "../src/store/deps.ts";
import { confirmationMails } from "./confirmation-mails.ts";

/**
 * Signs with a listing condition and confirms from the mailed link, as a signer would. Each call comes from
 * another address (so no rate limit joins them).
 */
export function thresholdSigner(store: () => Store, deps: () => CommandDeps) {
  let ip = 0;
  const nextConfirmationToken = confirmationMails(store);
  return async function signWithCondition(
    slug: string,
    name: string,
    fields: Record<string, string>,
    now: Date,
  ): Promise<{ id: number; manageToken: string }> {
    const result = await signLetter(
      deps(),
      {
        slug,
        form: { consent: "yes", email: "office@example.org", name, visibility: "threshold", ...fields },
        locale: "en",
        ip: `198.51.100.${++ip}`,
      },
      now,
    );
    if (result.outcome !== "sent") throw new Error(JSON.stringify(result));
    const token = await nextConfirmationToken();
    const confirmed = await confirmSignature(deps(), { slug, token }, now);
    if (confirmed.outcome === "receipt")
      return { id: result.signatureId, manageToken: confirmed.manageToken };
    throw new Error("no confirmation link for the new endorsement");
  };
}
