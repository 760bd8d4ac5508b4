// /kick user [reason]: removes a member from the server (they can rejoin with an invite).
import { kickMember } from '../discord/api.ts';
import type { CommandHandler } from '../interactions/command.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireBotPermissions, requireMember } from '../moderation/checks.ts';
import { readReason, readTarget } from '../moderation/inputs.ts';
import { auditLogReason, memberNotice, outcomeSummary } from '../moderation/notices.ts';

export const kick: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const reason = readReason(options, false);
  requireMember(target);
  requireBotPermissions(interaction, ['KICK_MEMBERS']);
  const guild = await requireActionableTarget(
    services.guilds,
    interaction,
    target,
    'kick',
    services.applicationId,
  );

  const now = services.now();
  const outcome = await carryOutAction(
    services,
    {
      at: now,
      action: 'kick',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt: null,
      notice: memberNotice('kick', guild.name, reason, null, now),
      execute: (discord) =>
        kickMember(discord, interaction.guild_id, target.id, {
          auditLogReason: auditLogReason(interaction.member.user, reason),
        }),
    },
    waitUntil,
  );
  return { content: outcomeSummary('kick', target.id, outcome, null) };
};
