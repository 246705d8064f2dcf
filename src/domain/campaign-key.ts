/*
 * When a campaign's coalition key may be set. A campaign keeps its first real key: replacing it would leave
 * every record sealed so far openable only with the old private key, and a mistaken replacement would
 * silently split the coalition's records across two keys. The one exception is the example campaign's DEMO
 * key (private half in DATA_DIR): it may be replaced while nothing but the example's own endorsements is
 * sealed to it, so a coalition can take the example over without real records ever sealed to a key the
 * server holds.
 */

export type CampaignKeyNow = { publicKey: string | null; demoKey: boolean };

export type KeyRefusal = {
  message: "campaignKey.keepsKey" | "campaignKey.demoInUse";
  params: { count?: number };
};

/** Why no key may be set on the campaign now, or undefined when one may; `realSealed` counts non-example records. */
export function keyRefusal(current: CampaignKeyNow, realSealed: number): KeyRefusal | undefined {
  if (current.publicKey === null) return undefined;
  if (!current.demoKey) return { message: "campaignKey.keepsKey", params: {} };
  if (realSealed > 0) return { message: "campaignKey.demoInUse", params: { count: realSealed } };
  return undefined;
}

/** A public key as `undersigned keygen` and the console's key maker print it: 32 bytes in canonical base64. */
export function isPublicKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, "base64").toString("base64") === text;
}
