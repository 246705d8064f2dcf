import type { Role } from "../../domain/roles.ts";
import type { Flag, Id, Time } from "./columns.ts";

/*
 * People, their sessions and one-time links, and the campaigns they work in.
 */

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Time;
}

export interface UsersTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  locale: string;
  totp_secret: string | null;
  totp_enabled_at: Time | null;
  /** JSON array of SHA-256 hashes of unused recovery codes. */
  recovery_codes: string | null;
  created_at: Time;
  updated_at: Time;
  disabled_at: Time | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a database leak does not yield live sessions. */
  id: string;
  user_id: number;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
  /** Set once the second factor was given (or immediately when the user has none). */
  second_factor_at: Time | null;
}

export type TokenPurpose = "setup" | "password_reset" | "invite";

export interface OneTimeTokensTable {
  id: Id;
  token_hash: string;
  purpose: TokenPurpose;
  user_id: number | null;
  campaign_id: number | null;
  role: Role | null;
  email: string | null;
  expires_at: Time;
  used_at: Time | null;
  created_at: Time;
}

export interface CampaignsTable {
  id: Id;
  slug: string;
  name: string;
  description: string;
  /** Base64 X25519 public key that undisclosed identities and contacts are sealed to. */
  public_key: string | null;
  /** 1 for the example campaign, whose private key sits on the server and must never seal real data. */
  demo_key: Flag;
  require_totp: Flag;
  created_at: Time;
  updated_at: Time;
}

/** A coalition key a coordinator proposed for a campaign, waiting for a second person to confirm it. */
export interface CampaignKeyProposalsTable {
  campaign_id: number;
  public_key: string;
  proposed_by: number;
  proposed_at: Time;
}

export interface CampaignMembersTable {
  campaign_id: number;
  user_id: number;
  role: Role;
  created_at: Time;
}
