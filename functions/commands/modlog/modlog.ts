// /modlog set channel:<#channel> | set url:<webhook URL> | off | status — where the relay posts the
// mod-log. Webhook tokens are secrets: stored, never shown, logged or put in an event.

import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, count, eq, gte, isNull, max, notExists, sql } from 'drizzle-orm';
import { auditSync, deadLetters, guilds, modlogDeliveries, outbox } from '../../../db/schema.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import type { AuditEventData } from '../../../shared/events.ts';
import { createWebhook, deleteWebhook, getWebhookWithToken } from '../../discord/api.ts';
import { DiscordApiError } from '../../discord/rest.ts';
import { queueEventIfChanged, sequenced } from '../../events/outbox.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { auditEvent } from '../../moderation/audit.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import type { Services } from '../../services.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { importModlog } from './import.ts';

export const MODLOG_WEBHOOK_NAME = 'Lockdown mod-log';

const webhookUrlPattern =
  /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d{17,20})\/([\w-]{20,})\/?$/;

/** Parses a webhook URL as Discord's client shows it; the id and token are what we keep. */
export function parseWebhookUrl(url: string): { id: string; token: string } | null {
  const match = webhookUrlPattern.exec(url.trim());
  return match ? { id: match[1] as string, token: match[2] as string } : null;
}

interface Webhook {
  id: string;
  token: string;
  channelId: string;
  owned: boolean;
}

async function currentSettings(services: Services, guildId: string) {
  const [row] = await services.db.select().from(guilds).where(eq(guilds.guildId, guildId)).limit(1);
  return row;
}

/** Deleting the webhook we made before is tidy-up: a failure must not undo the change. */
async function deleteOwnedWebhook(
  services: Services,
  previous: { modlogWebhookId: string | null; modlogWebhookOwned: boolean } | undefined,
  reason: string,
) {
  if (!previous?.modlogWebhookId || !previous.modlogWebhookOwned) return;
  await deleteWebhook(services.discord, previous.modlogWebhookId, { auditLogReason: reason }).catch(() => {});
}

/** What a change that lost the race says; the other change stands. */
const LOST_RACE =
  'Another mod-log change for this server was saved while I was making this one, so I left it as it is. `/modlog status` shows where the mod-log goes now.';

type Settings = Awaited<ReturnType<typeof currentSettings>>;

/**
 * Stores the new mod-log (or none) and queues its `audit:logged` event in the same statement, only
 * if no other change was saved since `previous` was read (`modlog_version`). Returns whether it was.
 */
async function saveAndAnnounce(
  context: CommandContext,
  previous: Settings,
  webhook: Webhook | null,
  action: 'modlog.set' | 'modlog.removed',
  details: AuditEventData['details'],
): Promise<boolean> {
  const { services, interaction, waitUntil } = context;
  const { db } = services;
  const now = services.now();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: interaction.guild_id,
      userId: null,
      moderatorId: interaction.member.user.id,
      reason: null,
      expiresAt: null,
      action,
      details,
    },
    now,
  );
  const readVersion = previous?.modlogVersion ?? 0;
  const values = {
    modlogChannelId: webhook?.channelId ?? null,
    modlogWebhookId: webhook?.id ?? null,
    modlogWebhookToken: webhook?.token ?? null,
    modlogWebhookOwned: webhook?.owned ?? false,
    modlogBrokenAt: null,
    modlogBrokenReason: null,
    modlogVersion: readVersion + 1,
    updatedAt: now,
  };
  // The save also numbers the event (see events/outbox.ts): one write of the row, so nothing is
  // numbered when the save loses.
  const save = db
    .insert(guilds)
    .values({ guildId: interaction.guild_id, ...values, eventSequence: 1 })
    .onConflictDoUpdate({
      target: guilds.guildId,
      set: { ...values, eventSequence: sql`${guilds.eventSequence} + 1` },
      setWhere: eq(guilds.modlogVersion, readVersion),
    })
    .returning({ guildId: guilds.guildId, eventSequence: guilds.eventSequence });
  const queued = await queueEventIfChanged(db, save, event, now);
  if (queued.rows.length === 0) return false;
  waitUntil(publishEvents(services, [sequenced(event, queued)]));
  return true;
}

async function setModlog(context: CommandContext): Promise<Reply> {
  const { services, interaction, options } = context;
  const channelId = options.channel('channel');
  const url = options.string('url');
  if ((channelId === null) === (url === null)) {
    throw new CommandError('invalid_option', 'Give either a `channel` or a webhook `url`, not both.');
  }
  const moderator = interaction.member.user;
  const auditReason = `${moderator.username} (${moderator.id}): /modlog set`;
  const previous = await currentSettings(services, interaction.guild_id);
  let webhook: Webhook;

  if (channelId !== null) {
    requireBotPermissions(interaction, ['MANAGE_WEBHOOKS']);
    const created = await createWebhook(services.discord, channelId, MODLOG_WEBHOOK_NAME, {
      auditLogReason: auditReason,
    });
    if (!created.token)
      throw new CommandError('unavailable', 'Discord created the webhook without a token; try again.');
    webhook = { id: created.id, token: created.token, channelId, owned: true };
  } else {
    const parsed = parseWebhookUrl(url as string);
    if (!parsed) {
      throw new CommandError(
        'invalid_option',
        'That is not a Discord webhook URL. It looks like https://discord.com/api/webhooks/<id>/<token>.',
      );
    }
    const found = await getWebhookWithToken(services.discord, parsed.id, parsed.token).catch(
      (error: unknown) => {
        if (
          error instanceof DiscordApiError &&
          (error.code === RESTJSONErrorCodes.UnknownWebhook ||
            error.code === RESTJSONErrorCodes.InvalidWebhookToken)
        ) {
          throw new CommandError('invalid_option', 'That webhook does not exist or its token is wrong.');
        }
        throw error;
      },
    );
    if (found.guild_id !== interaction.guild_id || !found.channel_id) {
      throw new CommandError('invalid_option', 'That webhook belongs to another server.');
    }
    webhook = { id: parsed.id, token: parsed.token, channelId: found.channel_id, owned: false };
  }

  // The webhook made above is ours alone until saved: if the save fails or loses, it goes.
  const made = { modlogWebhookId: webhook.id, modlogWebhookOwned: webhook.owned };
  const saved = await saveAndAnnounce(context, previous, webhook, 'modlog.set', {
    Channel: `<#${webhook.channelId}>`,
    Previous: previous?.modlogChannelId ? `<#${previous.modlogChannelId}>` : null,
  }).catch(async (error: unknown) => {
    await deleteOwnedWebhook(services, made, auditReason);
    throw error;
  });
  if (!saved) {
    await deleteOwnedWebhook(services, made, auditReason);
    return { content: LOST_RACE };
  }
  if (previous?.modlogWebhookId !== webhook.id) await deleteOwnedWebhook(services, previous, auditReason);
  const replay = previous?.modlogBrokenAt
    ? ' Events held back while the old mod-log was broken will be posted there now.'
    : '';
  return { content: `The mod-log now goes to <#${webhook.channelId}>.${replay}` };
}

async function turnOff(context: CommandContext): Promise<Reply> {
  const { services, interaction } = context;
  const previous = await currentSettings(services, interaction.guild_id);
  if (!previous?.modlogWebhookId) return { content: 'The mod-log is already off.' };
  const moderator = interaction.member.user;
  const saved = await saveAndAnnounce(context, previous, null, 'modlog.removed', {
    Channel: previous.modlogChannelId ? `<#${previous.modlogChannelId}>` : null,
  });
  if (!saved) return { content: LOST_RACE };
  await deleteOwnedWebhook(services, previous, `${moderator.username} (${moderator.id}): /modlog off`);
  return { content: 'The mod-log is off. Cases are still recorded; `/modlog set` turns it back on.' };
}

async function status({ services, interaction }: CommandContext): Promise<Reply> {
  const { db } = services;
  const guildId = interaction.guild_id;
  // Waiting: events since the current mod-log was set that the relay has neither posted nor parked.
  const delivered = db
    .select({ one: sql`1` })
    .from(modlogDeliveries)
    .where(eq(modlogDeliveries.eventId, outbox.eventId));
  const parked = db
    .select({ one: sql`1` })
    .from(deadLetters)
    .where(and(eq(deadLetters.eventId, outbox.eventId), isNull(deadLetters.replayedAt)));
  const setAt = sql`(select max(o.created_at) from ${outbox} o where o.guild_id = ${guildId}
    and o.event_type = 'audit:logged' and o.payload->'data'->>'action' = 'modlog.set')`;
  const [[settings], [last], [waiting], [dead], [sync]] = await db.batch([
    db.select().from(guilds).where(eq(guilds.guildId, guildId)).limit(1),
    db
      .select({ at: max(modlogDeliveries.deliveredAt) })
      .from(modlogDeliveries)
      .where(eq(modlogDeliveries.guildId, guildId)),
    db
      .select({ n: count() })
      .from(outbox)
      .where(
        and(
          eq(outbox.guildId, guildId),
          gte(outbox.createdAt, setAt),
          notExists(delivered),
          notExists(parked),
        ),
      ),
    db
      .select({ n: count() })
      .from(deadLetters)
      .where(and(eq(deadLetters.guildId, guildId), isNull(deadLetters.replayedAt))),
    db
      .select({ missingSince: auditSync.missingPermissionAt })
      .from(auditSync)
      .where(eq(auditSync.guildId, guildId))
      .limit(1),
  ]);
  // The audit-log sync's report (functions/audit-sync): without it, actions outside Lockdown go unrecorded.
  const auditLine = sync?.missingSince
    ? `**Audit log:** cannot be read since ${discordTime(sync.missingSince, 'R')} — grant Lockdown **View Audit Log**; until then bans, kicks and timeouts made outside Lockdown are not recorded.`
    : null;
  if (!settings?.modlogWebhookId)
    return {
      content: ['The mod-log is off. Use `/modlog set` to choose a channel.', auditLine]
        .filter((line) => line !== null)
        .join('\n'),
    };
  const lastAt = last?.at ? new Date(last.at) : null;
  const lines = [
    `**Channel:** <#${settings.modlogChannelId}>`,
    settings.modlogBrokenAt
      ? `**Health:** broken since ${discordTime(settings.modlogBrokenAt, 'R')} (${settings.modlogBrokenReason ?? 'webhook unusable'}). Run \`/modlog set\` again to repair it; held-back events will be posted.`
      : '**Health:** working',
    `**Last delivery:** ${lastAt ? `${discordTime(lastAt, 'R')}` : 'none yet'}`,
    `**Events waiting:** ${waiting?.n ?? 0}`,
    `**Dead letters:** ${dead?.n ?? 0}`,
    ...(auditLine ? [auditLine] : []),
  ];
  return { content: lines.join('\n') };
}

export const modlog: CommandHandler = async (context) => {
  switch (context.options.subcommand) {
    case 'set':
      return setModlog(context);
    case 'off':
      return turnOff(context);
    case 'status':
      return status(context);
    case 'import':
      return importModlog(context);
    default:
      throw new CommandError(
        'invalid_option',
        'Use `/modlog set`, `/modlog off`, `/modlog status` or `/modlog import`.',
      );
  }
};
