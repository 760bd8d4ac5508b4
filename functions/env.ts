// The Worker's configuration, as wrangler vars and secrets (see docs/ARCHITECTURE.md "Configuration").
import type { AuditSyncMessage } from './audit-sync/fan-out.ts';

export interface Env {
  DISCORD_APPLICATION_ID: string;
  DISCORD_PUBLIC_KEY: string;
  DISCORD_BOT_TOKEN: string;
  /** Default https://discord.com/api/v10; a local Discord stand-in in development and tests. */
  DISCORD_API_BASE?: string;
  DATABASE_URL: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
  /** Development and tests only: where the Neon driver sends HTTP queries (a local stand-in). */
  NEON_HTTP_ENDPOINT?: string;
  /** How long an interaction may run before it is answered with a deferred response (default 2000 ms). */
  INLINE_REPLY_BUDGET_MS?: string;
  /**
   * Subrequests one scheduled tick may make (default 900, for Workers Paid's 1,000 per invocation;
   * on Workers Free, whose limit is 50, set about 45).
   */
  SCHEDULER_SUBREQUEST_BUDGET?: string;
  /**
   * A secret: the Bearer token `GET /health/deep` asks for. Unset, deep health is off (404); the
   * public `GET /health` never touches the database or Redis either way.
   */
  HEALTH_TOKEN?: string;
  /**
   * The audit-log sync's queue (wrangler.toml `[[queues.producers]]`): the cron sends due guilds, the
   * same Worker's `queue` handler syncs them. Unset, the cron does not fan out.
   */
  AUDIT_SYNC_QUEUE?: Queue<AuditSyncMessage>;
  /**
   * Discord requests a second that every consumer of the bot token together may start (the shared
   * budget in Redis, discord/global-budget.ts): default 50, Discord's global limit; at most 50.
   * Lower it when something else uses the same token; tests lower it to see the budget bite.
   */
  DISCORD_BUDGET_PER_SECOND?: string;
  /**
   * The Redis key of that budget (default lockdown:discord:budget:global). Deployments with
   * different bot tokens sharing one Redis (staging and production) each set their own.
   */
  DISCORD_BUDGET_KEY?: string;
  /** Development and tests only (never in production): comma-separated guild ids the scheduled jobs are limited to. */
  SCHEDULER_GUILD_IDS?: string;
  /** A secret: the application's OAuth2 client secret, for the dashboard's Login with Discord. */
  DISCORD_CLIENT_SECRET?: string;
  /** A secret: the HMAC-SHA256 key the dashboard's session cookie is signed with (32+ random bytes). */
  DASHBOARD_SESSION_SECRET?: string;
}

export const DEFAULT_DISCORD_API_BASE = 'https://discord.com/api/v10';
