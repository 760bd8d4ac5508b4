// /slowmode interval [channel] [reason]: sets how long each member waits between messages
// (`rate_limit_per_user`, 0–21600 s, from the definition's choices), logged as `audit:logged`
// `slowmode.set` with the interval before and after.
import { raidBotPermissions, slowmodeChoices } from '../../../shared/command-definitions.ts';
import { formatDuration } from '../../../shared/duration.ts';
import { setSlowmode } from '../../discord/channels.ts';
import { CommandError } from '../../interactions/errors.ts';
import { readTargetChannel } from '../../lockdown/target-channel.ts';
import { auditEvent, logChangeMade } from '../../moderation/audit.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readReason } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';

const describe = (seconds: number) => (seconds === 0 ? 'off' : formatDuration(seconds * 1000));

export const slowmode: CommandHandler = async ({ services, interaction, options, waitUntil }) => {
  requireBotPermissions(interaction, raidBotPermissions.slowmode);
  const raw = options.string('interval');
  const choice = slowmodeChoices.find((c) => c.value === raw);
  if (!choice) {
    throw new CommandError(
      'invalid_option',
      `\`interval\` must be one of: ${slowmodeChoices.map((c) => c.value).join(', ')}.`,
    );
  }
  const reason = readReason(options, false);
  const channel = await readTargetChannel(services, interaction, options);
  const before = Number((channel as { rate_limit_per_user?: number }).rate_limit_per_user ?? 0);
  if (before === choice.seconds) {
    return { content: `Slowmode in <#${channel.id}> is already ${describe(before)}. Nothing changed.` };
  }
  const moderator = interaction.member.user;
  await setSlowmode(services.discord, channel.id, choice.seconds, {
    auditLogReason: `${moderator.username} (${moderator.id}): /slowmode${reason ? ` — ${reason}` : ''}`,
  });
  const now = services.now();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: interaction.guild_id,
      userId: moderator.id,
      moderatorId: moderator.id,
      reason,
      expiresAt: null,
      action: 'slowmode.set',
      details: { Channel: `<#${channel.id}>`, Before: describe(before), Now: describe(choice.seconds) },
    },
    now,
  );
  const notLogged = await logChangeMade(services, event, waitUntil);
  const done =
    choice.seconds === 0
      ? `Slowmode in <#${channel.id}> is off.`
      : `🐢 Slowmode in <#${channel.id}>: each member waits ${describe(choice.seconds)} between messages.`;
  return { content: notLogged ? `${done}\n${notLogged}` : done };
};
