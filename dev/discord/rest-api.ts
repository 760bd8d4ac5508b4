// Discord's REST routes (v10) over DiscordState, without HTTP, composed from one module per resource
// in rest/ (guilds, the audit log, members, bans, users and DMs, channels and overwrites, channel messages, webhooks, interactions,
// application commands, OAuth2), each adding its routes to one router through a shared RestContext. Each
// route says whether it takes the bot token or a webhook/interaction token, whether it accepts
// X-Audit-Log-Reason, which rate-limit buckets it counts against, and how it answers, refusing with
// Discord's own codes (ApiError). The HTTP layer (server.ts) runs them.
import { registerApplicationRoutes } from './rest/applications.ts';
import { registerAuditLogRoutes } from './rest/audit-logs.ts';
import { registerBanRoutes } from './rest/bans.ts';
import { registerChannelRoutes } from './rest/channels.ts';
import { RestContext, type RestRoute } from './rest/context.ts';
import { registerGuildRoutes } from './rest/guilds.ts';
import { interactionTokenSide } from './rest/interactions.ts';
import { registerMemberRoutes } from './rest/members.ts';
import { registerMessageRoutes } from './rest/messages.ts';
import { registerOAuthRoutes } from './rest/oauth2.ts';
import { registerTokenRoutes } from './rest/token-routes.ts';
import { registerUserRoutes } from './rest/users.ts';
import { registerWebhookRoutes, webhookTokenSide } from './rest/webhooks.ts';
import { Router } from './router.ts';
import type { DiscordState } from './state.ts';

export type { RestRequest, RestResult, RestRoute, RouteLimits } from './rest/context.ts';

export function createRestRouter(state: DiscordState): Router<RestRoute> {
  const router = new Router<RestRoute>();
  const ctx = new RestContext(state, router);
  registerGuildRoutes(ctx);
  registerAuditLogRoutes(ctx);
  registerMemberRoutes(ctx);
  registerBanRoutes(ctx);
  registerUserRoutes(ctx);
  registerChannelRoutes(ctx);
  registerMessageRoutes(ctx);
  registerWebhookRoutes(ctx);
  registerTokenRoutes(ctx, { webhook: webhookTokenSide(ctx), interaction: interactionTokenSide(ctx) });
  registerApplicationRoutes(ctx);
  registerOAuthRoutes(ctx);
  return router;
}

/** Every id in a path that must be a snowflake (tokens are not). */
export function snowflakeParams(params: Record<string, string>): [string, string][] {
  return Object.entries(params).filter(
    ([name, value]) => name !== 'webhook_token' && !(name === 'message_id' && value === '@original'),
  );
}
