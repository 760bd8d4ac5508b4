// /mute user duration [reason]: times a member out. Discord caps a timeout at 28 days; longer mutes
// (up to a year) get a 28-day timeout now and are renewed by the scheduler until their real end.
import { DISCORD_TIMEOUT_CAP_MS, MUTE_DURATION_BOUNDS } from '../../shared/commands.ts';
import { timeoutMember } from '../discord/api.ts';
import type { CommandHandler } from '../interactions/command.ts';
import { CommandError } from '../interactions/errors.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireBotPermissions, requireMember } from '../moderation/checks.ts';
import { readDuration, readReason, readTarget } from '../moderation/inputs.ts';
import { auditLogReason, memberNotice, outcomeSummary } from '../moderation/notices.ts';

/** Discord rejects a timeout even a moment past 28 days from its own clock; leave a margin for skew. */
const TIMEOUT_CAP_MARGIN_MS = 60_000;

/** The timeout to set at Discord for a mute ending at `expiresAt`. */
export function timeoutEnd(now: Date, expiresAt: Date): Date {
  const cap = now.getTime() + DISCORD_TIMEOUT_CAP_MS - TIMEOUT_CAP_MARGIN_MS;
  return new Date(Math.min(expiresAt.getTime(), cap));
}

export const mute: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const lengthMs = readDuration(options, 'duration', MUTE_DURATION_BOUNDS);
  if (lengthMs === null)
    throw new CommandError('invalid_option', 'A duration is required, e.g. 10m, 1h or 7d.');
  const reason = readReason(options, false);
  requireMember(target);
  requireBotPermissions(interaction, ['MODERATE_MEMBERS']);
  const guild = await requireActionableTarget(
    services.guilds,
    interaction,
    target,
    'mute',
    services.applicationId,
  );

  const now = services.now();
  const expiresAt = new Date(now.getTime() + lengthMs);
  const until = timeoutEnd(now, expiresAt);
  const outcome = await carryOutAction(
    services,
    {
      at: now,
      action: 'mute',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt,
      timeoutUntil: until,
      notice: memberNotice('mute', guild.name, reason, expiresAt, now),
      execute: (discord) =>
        timeoutMember(discord, interaction.guild_id, target.id, until, {
          auditLogReason: auditLogReason(interaction.member.user, reason),
        }),
    },
    waitUntil,
  );
  return { content: outcomeSummary('mute', target.id, outcome, lengthMs) };
};
