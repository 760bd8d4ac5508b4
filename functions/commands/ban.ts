// /ban user [reason] [duration] [delete_messages]: bans members and non-members alike; with a
// duration the ban is temporary and the scheduler lifts it at `expires_at`.
import { BAN_DURATION_BOUNDS, deleteMessageChoices } from '../../shared/commands.ts';
import { banUser } from '../discord/api.ts';
import type { CommandHandler } from '../interactions/command.ts';
import { CommandError } from '../interactions/errors.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireBotPermissions } from '../moderation/checks.ts';
import { readDuration, readReason, readTarget } from '../moderation/inputs.ts';
import { auditLogReason, memberNotice, outcomeSummary } from '../moderation/notices.ts';

function readDeleteMessageSeconds(value: string | null): number {
  if (value === null) return 0;
  const choice = deleteMessageChoices.find((c) => c.value === value);
  if (!choice) {
    const allowed = deleteMessageChoices.map((c) => c.value).join(', ');
    throw new CommandError('invalid_option', `\`delete_messages\` must be one of: ${allowed}.`);
  }
  return choice.seconds;
}

export const ban: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const reason = readReason(options, false);
  const lengthMs = readDuration(options, 'duration', BAN_DURATION_BOUNDS);
  const deleteMessageSeconds = readDeleteMessageSeconds(options.string('delete_messages'));
  requireBotPermissions(interaction, ['BAN_MEMBERS']);
  const guild = await requireActionableTarget(
    services.guilds,
    interaction,
    target,
    'ban',
    services.applicationId,
  );

  const now = services.now();
  const expiresAt = lengthMs ? new Date(now.getTime() + lengthMs) : null;
  const outcome = await carryOutAction(
    services,
    {
      at: now,
      action: 'ban',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt,
      // Only members share a server with the bot, so only they can be sent a DM.
      notice: target.member ? memberNotice('ban', guild.name, reason, expiresAt, now) : null,
      execute: (discord) =>
        banUser(discord, interaction.guild_id, target.id, {
          deleteMessageSeconds,
          auditLogReason: auditLogReason(interaction.member.user, reason),
        }),
    },
    waitUntil,
  );
  return { content: outcomeSummary('ban', target.id, outcome, lengthMs) };
};
