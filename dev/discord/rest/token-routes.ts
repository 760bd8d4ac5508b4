// The routes under /webhooks/{webhook_id}/{webhook_token}. One path serves two resources, an incoming
// webhook or, when the id is the application's, an interaction; this module owns the paths, their
// buckets and the checks both share, and hands each request to the side it names (TokenSide). A
// message edit's payload is checked before its message is looked up; a webhook's as that webhook
// may send it (its components honoured or not: webhooks.ts), an interaction's always with them.
import { publicMessage } from '../messages.ts';
import { defaultRule, rules } from '../rate-limits.ts';
import { noContent, ok, type Params, type RestContext, type TokenSide } from './context.ts';
import type { WebhookTokenSide } from './webhooks.ts';

export function registerTokenRoutes(
  ctx: RestContext,
  sides: { webhook: WebhookTokenSide; interaction: TokenSide },
): void {
  const sideOf = (params: Params) => (ctx.isInteraction(params) ? sides.interaction : sides.webhook);
  const byToken = '/webhooks/{webhook_id}/{webhook_token}';
  const auth = 'token' as const;
  const loose = (method: string) => ({ auth, limits: ctx.tokenLimits(defaultRule(`${method} ${byToken}`)) });

  ctx.add('GET', byToken, loose('GET'), ({ params }) => sideOf(params).get(params));
  ctx.add('PATCH', byToken, loose('PATCH'), ({ params, body }) => sideOf(params).update(params, body));
  ctx.add('DELETE', byToken, loose('DELETE'), ({ params }) => sideOf(params).remove(params));
  ctx.add(
    'POST',
    byToken,
    { auth, limits: ctx.tokenLimits(rules.webhookExecute, { channelShared: true }) },
    (request) => sideOf(request.params).execute(request),
  );

  const limits = ctx.tokenLimits(rules.webhookMessage);
  for (const template of [`${byToken}/messages/@original`, `${byToken}/messages/{message_id}`]) {
    ctx.add('GET', template, { auth, limits }, ({ params }) =>
      ok(publicMessage(sideOf(params).message(params).message)),
    );
    // The payload is checked before the message is looked up, as Discord does.
    ctx.add('PATCH', template, { auth, limits }, (request) =>
      ctx.isInteraction(request.params)
        ? sides.interaction.edit(request.params, ctx.messagePayload(request.body))
        : sides.webhook.edit(request.params, sides.webhook.editPayload(request)),
    );
    ctx.add('DELETE', template, { auth, limits }, ({ params }) => {
      sideOf(params).message(params).remove();
      return noContent();
    });
  }
}
