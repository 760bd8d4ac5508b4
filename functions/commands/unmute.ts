// /unmute user [reason]: ends a member's timeout now (and any longer mute the scheduler was renewing).
import { timeoutMember } from '../discord/api.ts';
import type { CommandHandler } from '../interactions/command.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireBotPermissions, requireMember } from '../moderation/checks.ts';
import { readReason, readTarget } from '../moderation/inputs.ts';
import { auditLogReason, outcomeSummary } from '../moderation/notices.ts';

export const unmute: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const reason = readReason(options, false);
  requireMember(target);
  requireBotPermissions(interaction, ['MODERATE_MEMBERS']);
  await requireActionableTarget(services.guilds, interaction, target, 'unmute', services.applicationId);

  const outcome = await carryOutAction(
    services,
    {
      at: services.now(),
      action: 'unmute',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt: null,
      notice: null,
      execute: (discord) =>
        timeoutMember(discord, interaction.guild_id, target.id, null, {
          auditLogReason: auditLogReason(interaction.member.user, reason),
        }),
    },
    waitUntil,
  );
  return { content: outcomeSummary('unmute', target.id, outcome, null) };
};
