// /unban user [reason]: lifts a ban; the ban's case (and any pending temp-ban expiry) is closed with it.
import { unbanUser } from '../discord/api.ts';
import type { CommandHandler } from '../interactions/command.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { requireActionableTarget, requireBotPermissions } from '../moderation/checks.ts';
import { readReason, readTarget } from '../moderation/inputs.ts';
import { auditLogReason, outcomeSummary } from '../moderation/notices.ts';

export const unban: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  const target = readTarget(options);
  const reason = readReason(options, false);
  requireBotPermissions(interaction, ['BAN_MEMBERS']);
  await requireActionableTarget(services.guilds, interaction, target, 'unban', services.applicationId);

  const outcome = await carryOutAction(
    services,
    {
      at: services.now(),
      action: 'unban',
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt: null,
      notice: null,
      execute: (discord) =>
        unbanUser(discord, interaction.guild_id, target.id, {
          auditLogReason: auditLogReason(interaction.member.user, reason),
        }),
    },
    waitUntil,
  );
  return { content: outcomeSummary('unban', target.id, outcome, null) };
};
