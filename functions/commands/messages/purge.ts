// /purge count [user] [reason]: deletes recent messages in the channel the command was used in —
// one Get Channel Messages of `count`, the plan (purge-plan.ts: only `user`'s, not pinned, younger
// than 14 days), then one bulk delete (or a plain DELETE for a single message) — and logs one
// `audit:logged` `messages.purged` line with the count and the channel.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { MAX_PURGE_COUNT } from '../../../shared/command-definitions.ts';
import { missingPermissions, type PermissionName, permissionLabel } from '../../../shared/permissions.ts';
import { bulkDeleteMessages, deleteMessage, listChannelMessages } from '../../discord/messages.ts';
import { DiscordApiError, type DiscordRest } from '../../discord/rest.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { GuildInteraction } from '../../interactions/guild-interaction.ts';
import { auditEvent, logChangeMade } from '../../moderation/audit.ts';
import { readReason } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';
import { deletableCount, type PurgePlan, planPurge } from './purge-plan.ts';
import { deletedText, NOT_DONE, nothingToDeleteText, unconfirmedText } from './purge-reply.ts';

/** Bulk delete needs Manage Messages; reading the channel, Read Message History (else Discord lists nothing). */
const BOT_NEEDS: readonly PermissionName[] = ['MANAGE_MESSAGES', 'READ_MESSAGE_HISTORY'];

/**
 * `app_permissions` are the bot's permissions in the channel the command was used in, overwrites
 * included, so the refusal names the channel, not the server.
 */
function requireBotChannelPermissions(interaction: GuildInteraction, channelId: string): void {
  const missing = missingPermissions(interaction.app_permissions, BOT_NEEDS);
  if (missing.length === 0) return;
  const names = missing.map((name) => `**${permissionLabel(name)}**`).join(' and ');
  throw new CommandError(
    'forbidden',
    `I need the ${names} permission${missing.length > 1 ? 's' : ''} in <#${channelId}> to purge messages there. Ask an admin to grant ${missing.length > 1 ? 'them' : 'it'} to my role (or in the channel's permissions).`,
  );
}

function readCount(value: number | null): number {
  if (value === null || !Number.isInteger(value) || value < 1 || value > MAX_PURGE_COUNT) {
    throw new CommandError(
      'invalid_option',
      `\`count\` must be a whole number from 1 to ${MAX_PURGE_COUNT}.`,
    );
  }
  return value;
}

/**
 * After a bulk delete whose outcome is unknown (a timeout, a 5xx), how many of `ids` are gone:
 * one read of the messages from the oldest of them on, which holds every one still there (they
 * were among the newest `count` ≤ 100). Null when that read fails too.
 */
async function countGone(
  rest: DiscordRest,
  channelId: string,
  ids: readonly string[],
): Promise<number | null> {
  const oldest = ids.reduce((min, id) => (BigInt(id) < min ? BigInt(id) : min), BigInt(ids[0] ?? '0'));
  try {
    const page = await listChannelMessages(rest, channelId, {
      limit: MAX_PURGE_COUNT,
      after: (oldest - 1n).toString(),
    });
    const present = new Set(page.map((message) => message.id));
    return ids.filter((id) => !present.has(id)).length;
  } catch {
    return null;
  }
}

/**
 * What became of the planned deletion: done (how many went), the single message already gone,
 * Discord's outcome unknown but checked and nothing went, or unknown and uncheckable.
 */
type Deletion =
  | { kind: 'deleted'; count: number }
  | { kind: 'already-gone' }
  | { kind: 'not-done' }
  | { kind: 'unconfirmed' };

/**
 * Carries the plan out: one bulk delete or one DELETE. A refusal (4xx) is thrown as Discord's answer;
 * a single message deleted meanwhile (10008) is already gone.
 */
async function deletePlanned(
  rest: DiscordRest,
  channelId: string,
  plan: PurgePlan,
  auditLogReason: string,
): Promise<Deletion> {
  const ids = plan.single === null ? plan.bulk : [plan.single];
  try {
    if (plan.single !== null) await deleteMessage(rest, channelId, plan.single, { auditLogReason });
    else await bulkDeleteMessages(rest, channelId, plan.bulk, { auditLogReason });
    return { kind: 'deleted', count: ids.length };
  } catch (error) {
    if (!(error instanceof DiscordApiError)) throw error;
    if (plan.single !== null && error.code === RESTJSONErrorCodes.UnknownMessage)
      return { kind: 'already-gone' };
    if (!error.outcomeUnknown) throw error;
    const gone = await countGone(rest, channelId, ids);
    if (gone === null) return { kind: 'unconfirmed' };
    return gone === 0 ? { kind: 'not-done' } : { kind: 'deleted', count: gone };
  }
}

export const purge: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!channelId) throw new CommandError('invalid_option', 'Use /purge in the channel to clean up.');
  requireBotChannelPermissions(interaction, channelId);
  const count = readCount(options.integer('count'));
  const authorId = options.user('user')?.id ?? null;
  const reason = readReason(options, false);

  const messages = await listChannelMessages(services.discord, channelId, { limit: count });
  const plan = planPurge(messages, authorId, services.now().getTime());
  const report = { channelId, authorId, plan };
  if (deletableCount(plan) === 0) return { content: nothingToDeleteText(report) };

  const moderator = interaction.member.user;
  const deletion = await deletePlanned(
    services.discord,
    channelId,
    plan,
    `${moderator.username} (${moderator.id}): /purge${reason ? ` — ${reason}` : ''}`,
  );
  if (deletion.kind === 'unconfirmed') return { content: unconfirmedText(report, deletableCount(plan)) };
  if (deletion.kind === 'not-done') return { content: NOT_DONE };
  if (deletion.kind === 'already-gone') {
    return { content: `The message to delete in <#${channelId}> was already gone. Nothing was deleted.` };
  }

  const text = deletedText({ ...report, deleted: deletion.count });
  const now = services.now();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: interaction.guild_id,
      userId: authorId ?? moderator.id,
      moderatorId: moderator.id,
      reason,
      expiresAt: null,
      action: 'messages.purged',
      details: {
        Channel: `<#${channelId}>`,
        Deleted: deletion.count,
        'Skipped (older than 14 days)': plan.tooOld,
        ...(plan.pinned > 0 ? { 'Pinned (kept)': plan.pinned } : {}),
        ...(authorId ? { 'Only messages by': `<@${authorId}>` } : {}),
      },
    },
    now,
  );
  // The messages are gone whatever the database says: report that, and whether a log line exists.
  const notLogged = await logChangeMade(services, event, waitUntil);
  return { content: notLogged ? `${text}\n${notLogged}` : text };
};
