// /warn user reason: records a warning case (no Discord action) and tells the member by DM.
import type { CommandHandler } from '../interactions/command.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireMember } from '../moderation/checks.ts';
import { readReason, readTarget } from '../moderation/inputs.ts';
import { memberNotice, outcomeSummary } from '../moderation/notices.ts';

export const warn: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const reason = readReason(options, true);
  requireMember(target);
  const guild = await requireActionableTarget(
    services.guilds,
    interaction,
    target,
    'warn',
    services.applicationId,
  );

  const now = services.now();
  const outcome = await carryOutAction(
    services,
    {
      at: now,
      action: 'warn',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt: null,
      notice: memberNotice('warn', guild.name, reason, null, now),
      execute: null,
    },
    waitUntil,
  );
  return { content: outcomeSummary('warn', target.id, outcome, null) };
};
