// Changing where the relay posts the mod-log — `/modlog set channel|url`, `/modlog off` and the
// dashboard's settings form all run these: the bot-permission check, the webhook made (or adopted),
// the conditional save with its `audit:logged` event, and the tidy-up of the webhook replaced.
// Refusals are CommandErrors (nothing changed); callers only render the outcome. Webhook tokens
// are secrets: stored, never shown, logged or put in an event.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { eq, sql } from 'drizzle-orm';
import { guilds } from '../../../db/schema.ts';
import type { AuditEventData } from '../../../shared/events.ts';
import { createWebhook, deleteWebhook, getWebhookWithToken } from '../../discord/api.ts';
import { DiscordApiError } from '../../discord/rest.ts';
import { queueEventIfChanged, sequenced } from '../../events/outbox.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { auditEvent } from '../../moderation/audit.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import type { Services } from '../../services.ts';
import { auditLogReason, type ChangeActor, viaDetails } from '../change-actor.ts';

export const MODLOG_WEBHOOK_NAME = 'Lockdown mod-log';

/** What the bot needs where the mod-log goes: to make the webhook (posting is the webhook's). */
export const MODLOG_BOT_PERMISSIONS = ['MANAGE_WEBHOOKS'] as const;

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
export const LOST_RACE =
  'Another mod-log change for this server was saved while I was making this one, so I left it as it is. `/modlog status` shows where the mod-log goes now.';

type Settings = Awaited<ReturnType<typeof currentSettings>>;

/**
 * Stores the new mod-log (or none) and queues its `audit:logged` event in the same statement, only
 * if no other change was saved since `previous` was read (`modlog_version`). Returns whether it was.
 */
async function saveAndAnnounce(
  actor: ChangeActor,
  previous: Settings,
  webhook: Webhook | null,
  action: 'modlog.set' | 'modlog.removed',
  details: AuditEventData['details'],
): Promise<boolean> {
  const { services, guildId } = actor;
  const { db } = services;
  const now = services.now();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId,
      userId: null,
      moderatorId: actor.moderator.id,
      reason: null,
      expiresAt: null,
      action,
      details: { ...details, ...viaDetails(actor) },
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
    .values({ guildId, ...values, eventSequence: 1 })
    .onConflictDoUpdate({
      target: guilds.guildId,
      set: { ...values, eventSequence: sql`${guilds.eventSequence} + 1` },
      setWhere: eq(guilds.modlogVersion, readVersion),
    })
    .returning({ guildId: guilds.guildId, eventSequence: guilds.eventSequence });
  const queued = await queueEventIfChanged(db, save, event, now);
  if (queued.rows.length === 0) return false;
  actor.waitUntil(publishEvents(services, [sequenced(event, queued)]));
  return true;
}

export type ModlogSetOutcome =
  /** `replayed`: the old mod-log was broken, so the events it held back will be posted now. */
  { status: 'set'; channelId: string; replayed: boolean } | { status: 'lost_race' };

/** Saves `webhook` as the mod-log; a webhook we made that is not kept is deleted again. */
async function adopt(actor: ChangeActor, previous: Settings, webhook: Webhook, reason: string) {
  const { services } = actor;
  // The webhook made above is ours alone until saved: if the save fails or loses, it goes.
  const made = { modlogWebhookId: webhook.id, modlogWebhookOwned: webhook.owned };
  const saved = await saveAndAnnounce(actor, previous, webhook, 'modlog.set', {
    Channel: `<#${webhook.channelId}>`,
    Previous: previous?.modlogChannelId ? `<#${previous.modlogChannelId}>` : null,
  }).catch(async (error: unknown) => {
    await deleteOwnedWebhook(services, made, reason);
    throw error;
  });
  if (!saved) {
    await deleteOwnedWebhook(services, made, reason);
    return { status: 'lost_race' } as const;
  }
  if (previous?.modlogWebhookId !== webhook.id) await deleteOwnedWebhook(services, previous, reason);
  return {
    status: 'set',
    channelId: webhook.channelId,
    replayed: Boolean(previous?.modlogBrokenAt),
  } as const;
}

/**
 * A webhook of our own in `channelId`. `botPermissions` are the bot's permissions as the caller
 * knows them: the interaction's `app_permissions`, or those the dashboard computed for the channel.
 */
export async function setModlogChannel(
  actor: ChangeActor,
  channelId: string,
  botPermissions: string,
): Promise<ModlogSetOutcome> {
  const { services } = actor;
  const reason = auditLogReason(actor, '/modlog set');
  requireBotPermissions({ app_permissions: botPermissions }, MODLOG_BOT_PERMISSIONS, `in <#${channelId}>`);
  const previous = await currentSettings(services, actor.guildId);
  const created = await createWebhook(services.discord, channelId, MODLOG_WEBHOOK_NAME, {
    auditLogReason: reason,
  });
  if (!created.token)
    throw new CommandError('unavailable', 'Discord created the webhook without a token; try again.');
  return adopt(actor, previous, { id: created.id, token: created.token, channelId, owned: true }, reason);
}

/** An existing webhook of this server, given by its URL (the moderator keeps owning it). */
export async function setModlogWebhookUrl(actor: ChangeActor, url: string): Promise<ModlogSetOutcome> {
  const { services } = actor;
  const parsed = parseWebhookUrl(url);
  if (!parsed) {
    throw new CommandError(
      'invalid_option',
      'That is not a Discord webhook URL. It looks like https://discord.com/api/webhooks/<id>/<token>.',
    );
  }
  const previous = await currentSettings(services, actor.guildId);
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
  if (found.guild_id !== actor.guildId || !found.channel_id) {
    throw new CommandError('invalid_option', 'That webhook belongs to another server.');
  }
  const webhook = { id: parsed.id, token: parsed.token, channelId: found.channel_id, owned: false };
  return adopt(actor, previous, webhook, auditLogReason(actor, '/modlog set'));
}

export type ModlogOffOutcome = { status: 'off' } | { status: 'already_off' } | { status: 'lost_race' };

export async function turnOffModlog(actor: ChangeActor): Promise<ModlogOffOutcome> {
  const { services } = actor;
  const previous = await currentSettings(services, actor.guildId);
  if (!previous?.modlogWebhookId) return { status: 'already_off' };
  const saved = await saveAndAnnounce(actor, previous, null, 'modlog.removed', {
    Channel: previous.modlogChannelId ? `<#${previous.modlogChannelId}>` : null,
  });
  if (!saved) return { status: 'lost_race' };
  await deleteOwnedWebhook(services, previous, auditLogReason(actor, '/modlog off'));
  return { status: 'off' };
}
