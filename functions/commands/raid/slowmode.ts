// /slowmode interval [channel] [reason] [duration]: sets how long each member waits between messages
// (`rate_limit_per_user`, 0–21600 s, from the definition's choices), logged as `audit:logged`
// `slowmode.set` with the interval before and after. With a duration the slowmode is timed: the
// interval it replaced is kept in `slowmodes` (same transaction as the event) and the scheduler
// puts it back at the end (functions/scheduled/expire-slowmodes.ts). A new /slowmode replaces a
// running timer (keeping the interval from before the first one); `off` lifts it.
import {
  raidBotPermissions,
  SLOWMODE_DURATION_BOUNDS,
  slowmodeChoices,
} from '../../../shared/command-definitions.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import { setSlowmode } from '../../discord/channels.ts';
import { CommandError } from '../../interactions/errors.ts';
import { readTargetChannel } from '../../lockdown/target-channel.ts';
import { auditEvent } from '../../moderation/audit.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readDuration, readReason } from '../../moderation/inputs.ts';
import { describeInterval, slowmodeReply, timerChange } from '../../slowmode/slowmode-plan.ts';
import { activeSlowmodeOf, logSlowmodeChange, timerStatement } from '../../slowmode/slowmode-store.ts';
import type { CommandHandler } from '../command-handler.ts';

/** Appended when the change stands but its timer could not be written. */
const NO_TIMER = 'It will not end by itself: set it back with /slowmode when you are done.';

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
  const lengthMs = readDuration(options, 'duration', SLOWMODE_DURATION_BOUNDS);
  if (lengthMs !== null && choice.seconds === 0) {
    throw new CommandError('invalid_option', 'Turning slowmode off has no end: leave out `duration`.');
  }
  const channel = await readTargetChannel(services, interaction, options);
  const before = Number((channel as { rate_limit_per_user?: number }).rate_limit_per_user ?? 0);
  const now = services.now();
  const active = await activeSlowmodeOf(services.db, interaction.guild_id, channel.id);
  if (before === choice.seconds && !active) {
    const timerless =
      lengthMs === null ? '' : ' It was not set with a timer, so there is nothing to put back.';
    return {
      content: `Slowmode in <#${channel.id}> is already ${describeInterval(before)}.${timerless} Nothing changed.`,
    };
  }
  const expiresAt = lengthMs === null ? null : new Date(now.getTime() + lengthMs);
  const change = timerChange(choice.seconds, before, active, expiresAt);
  const moderator = interaction.member.user;
  if (before !== choice.seconds) {
    await setSlowmode(services.discord, channel.id, choice.seconds, {
      auditLogReason: `${moderator.username} (${moderator.id}): /slowmode${reason ? ` — ${reason}` : ''}`,
    });
  }
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
      details: {
        Channel: `<#${channel.id}>`,
        Before: describeInterval(before),
        Now: describeInterval(choice.seconds),
        ...(change.kind === 'start'
          ? {
              Ends: discordTime(change.expiresAt, 'R'),
              'Then back to': describeInterval(change.previousSeconds),
            }
          : {}),
        ...(change.kind === 'end' ? { Timer: change.why === 'lifted' ? 'lifted' : 'replaced, no end' } : {}),
      },
    },
    now,
  );
  const timer = timerStatement(services.db, change, {
    guildId: interaction.guild_id,
    channelId: channel.id,
    seconds: choice.seconds,
    before,
    moderatorId: moderator.id,
    reason,
    now,
  });
  const notLogged = await logSlowmodeChange(services, timer, event, waitUntil);
  const done = slowmodeReply(channel.id, choice.seconds, before, change);
  if (!notLogged) return { content: done };
  return { content: `${done}\n${notLogged}${change.kind === 'start' ? ` ${NO_TIMER}` : ''}` };
};
