import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { AppError } from "../domain/app-error.ts";
import type { CampaignRoles, Role } from "../domain/roles.ts";
import { type CampaignAction, can, isCampaignAction, type ServerAction } from "../policies/policy.ts";
import { campaignOfLetter, loadCampaignRoles } from "../store/memberships.ts";
import {
  campaignsRequiringTotp,
  findLiveSession,
  type LiveSession,
  secondFactorProven,
  sessionIdOf,
  touchSession,
} from "../store/sessions.ts";
import type { AppDeps } from "./app-deps.ts";
import { cookieName } from "./http/cookie-names.ts";

/** The signed-in user of a console request, loaded with the session on every /admin request. */
export type SessionUser = {
  id: number;
  email: string;
  name: string;
  role: Role;
  totpEnabled: boolean;
  /** This session gave a TOTP code while TOTP was on (store/sessions.ts secondFactorProven). */
  secondFactorProven: boolean;
  /** The user's role in each campaign they belong to (policies/policy.ts). */
  campaigns: CampaignRoles;
  /** Campaigns that require TOTP of everyone who opens them. */
  totpCampaigns: ReadonlySet<number>;
  sessionId: string;
};

/*
 * The console's side of sessions (store/sessions.ts keeps the rows). The `us_session` cookie holds the random
 * token: HttpOnly so page scripts never see it, SameSite=Lax so other sites cannot post with it, Secure
 * whenever the server is reached over HTTPS (then named __Host-us_session and sent to every path, as that
 * prefix requires; on plain http scoped to /admin), and without Max-Age so closing the browser on a shared
 * computer forgets it. The server enforces the real lifetime.
 */

export const SESSION_COOKIE = "us_session";

/** Under https the __Host- prefix (http/cookie-names.ts) requires Path=/; its guarantees outweigh the scope. */
const cookiePath = (secure: boolean) => (secure ? "/" : "/admin");

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(cookieName(reply.request, SESSION_COOKIE), token, {
    path: cookiePath(secure),
    httpOnly: true,
    sameSite: "lax",
    secure,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(cookieName(reply.request, SESSION_COOKIE), {
    path: cookiePath(secure),
    httpOnly: true,
    sameSite: "lax",
    secure,
  });
}

/** The session row id for this request's cookie, if it has one. */
export function sessionIdOfRequest(request: FastifyRequest): string | undefined {
  const token = request.cookies[cookieName(request, SESSION_COOKIE)];
  return token ? sessionIdOf(token) : undefined;
}

/** The session behind the cookie, complete or waiting for its second factor. */
export async function currentSession(
  request: FastifyRequest,
  deps: Pick<AppDeps, "store" | "now">,
): Promise<LiveSession | undefined> {
  const sessionId = sessionIdOfRequest(request);
  return sessionId ? findLiveSession(deps.store.db, sessionId, deps.now()) : undefined;
}

/**
 * Loads `request.user` for console routes, with the user's campaign roles and the campaigns that require
 * TOTP, read afresh on each request so a changed role or a revoked membership applies at once. Only a
 * complete session counts: one still waiting for its second factor opens nothing but the code page.
 */
export function loadUser(deps: Pick<AppDeps, "store" | "now">): onRequestAsyncHookHandler {
  return async (request) => {
    const session = await currentSession(request, deps);
    if (!session || session.secondFactorAt === null) return;
    const { db } = deps.store;
    const [campaigns, totpCampaigns] = await Promise.all([
      loadCampaignRoles(db, session.userId),
      campaignsRequiringTotp(db),
      touchSession(db, session, deps.now()),
    ]);
    request.user = {
      id: session.userId,
      email: session.email,
      name: session.name,
      role: session.role,
      totpEnabled: session.totpEnabledAt !== null,
      secondFactorProven: secondFactorProven(session),
      campaigns,
      totpCampaigns,
      sessionId: session.sessionId,
    };
  };
}

/**
 * Guards the console: a page asked for without a session leads to the sign-in page, which comes back here
 * afterwards; anything else is refused outright.
 */
export const requireSignIn: onRequestAsyncHookHandler = async (request, reply) => {
  if (request.user) return;
  if (request.method === "GET" || request.method === "HEAD") {
    const next = safeNext(request.url);
    return reply.redirect(
      next && next !== "/admin" ? `/admin/login?next=${encodeURIComponent(next)}` : "/admin/login",
      303,
    );
  }
  throw new AppError("unauthenticated");
};

export function requireUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError("unauthenticated");
  return request.user;
}

/**
 * The signed-in user, if they may take the action (in the campaign, for a campaign action). A campaign that
 * requires TOTP is refused with second_factor_required to anyone whose session was not opened with a
 * code: the console sends them to set one up, or to give one (routes/admin/index.ts).
 */
export function requirePermission(request: FastifyRequest, action: ServerAction): SessionUser;
export function requirePermission(
  request: FastifyRequest,
  action: CampaignAction,
  campaignId: number,
): SessionUser;
export function requirePermission(
  request: FastifyRequest,
  action: ServerAction | CampaignAction,
  campaignId?: number,
): SessionUser {
  const user = requireUser(request);
  if (!isCampaignAction(action)) {
    if (!can(user, action)) throw new AppError("forbidden");
    return user;
  }
  if (campaignId === undefined || !can(user, action, campaignId)) throw new AppError("forbidden");
  if (user.totpCampaigns.has(campaignId) && !user.secondFactorProven)
    throw new AppError("second_factor_required");
  return user;
}

/**
 * A place to return to after sign-in: only a path on this site, never another origin ("//evil.example",
 * "/\evil.example" and "https://…" are all refused), so the sign-in page cannot be used to send people away.
 */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 500) return undefined;
  if (next.startsWith("//") || /[\p{Cc}\\]/u.test(next)) return undefined;
  const url = new URL(next, "http://same.invalid");
  // Dot segments can normalise into "//evil.example" ("/.//evil.example"), which a browser reads as another host.
  if (url.origin !== "http://same.invalid" || url.pathname.startsWith("//")) return undefined;
  return `${url.pathname}${url.search}`;
}

/**
 * requirePermission for a route about one letter: the letter's campaign decides. An unknown letter is
 * not_found, asked after sign-in so it tells an outsider nothing.
 */
export async function requireLetterPermission(
  request: FastifyRequest,
  deps: Pick<AppDeps, "store">,
  action: CampaignAction,
  letterId: number,
): Promise<SessionUser> {
  requireUser(request);
  const campaignId = await campaignOfLetter(deps.store.db, letterId);
  if (campaignId === undefined) throw new AppError("not_found");
  return requirePermission(request, action, campaignId);
}
