// /lockdown channel|server [duration] [reason] [notice]: denies @everyone writing (messages, threads,
// reactions) in one channel or in every text, announcement and forum channel where it can write
// now. Each channel's @everyone overwrite is recorded first (lockdown/lockdown-store.ts), so /unlock
// and the scheduler's expiry put back exactly what was there. A server lockdown answers at once and
// locks in batches (lockdown/lockdown-runner.ts), editing the reply as it goes; what one invocation
// cannot finish, the scheduled tick does.

import {
  LOCKABLE_CHANNEL_TYPES,
  LOCKDOWN_DURATION_BOUNDS,
  raidBotPermissions,
} from '../../../shared/command-definitions.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import { getGuild } from '../../discord/api.ts';
import { listGuildChannels } from '../../discord/channels.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { progressText, stillAllowedLine } from '../../lockdown/lockdown-replies.ts';
import { advanceLockdown } from '../../lockdown/lockdown-runner.ts';
import {
  activeLockOf,
  channelsInState,
  heldChannelIds,
  planLockdown,
  readLockdown,
} from '../../lockdown/lockdown-store.ts';
import {
  everyoneCanSend,
  everyoneOverwrite,
  lockedOverwrite,
  stillAllowedToSend,
} from '../../lockdown/overwrites.ts';
import { editLockdownReply, editLockdownSummary } from '../../lockdown/reply-edits.ts';
import { readTargetChannel } from '../../lockdown/target-channel.ts';
import { errorForLog } from '../../log.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readDuration, readReason } from '../../moderation/inputs.ts';
import {
  DiscordPacer,
  realClock,
  SUBREQUEST_COST,
  WORKERS_SUBREQUEST_LIMIT,
} from '../../scheduled/budget.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';

const { db: DB, redis: REDIS, discord: DISCORD } = SUBREQUEST_COST;
/**
 * What a server lockdown's invocation sends besides its batches (counted as the scheduler counts):
 * before them the interaction's user names, its once-claim, the saved-reason look-up, the guild,
 * its channels, the held locks, the plan, and the deferred reply's edit; after them the claim's
 * release, the events' publish (Redis, then the outbox), the lockdown read and the summary (its
 * channels read, the edit).
 */
export const INVOCATION_OWN_REQUESTS =
  DB + REDIS + DB + DISCORD + DISCORD + DB + DB + DISCORD + DB + REDIS + DB + DB + DB + DISCORD;
/**
 * What a command's own invocation spends on its batches before it leaves the rest to the scheduler:
 * the Worker's 1,000 subrequests less its own work, so a lock with a notice (three calls a channel)
 * stays within the limit however its batches go.
 */
export const INVOCATION_REQUESTS = WORKERS_SUBREQUEST_LIMIT - INVOCATION_OWN_REQUESTS;
export const INVOCATION_WORK_MS = 20_000;

/**
 * How fast a command's own run calls Discord: under the bot's global 50 requests/s, with room for
 * the rest of Lockdown (the scheduler paces itself at DISCORD_CALLS_PER_SECOND).
 */
export const INVOCATION_CALLS_PER_SECOND = 40;

/** The limits of a command's own run: its requests, its time, its pace. */
export function invocationLimits(now: () => Date, deadline = Date.now() + INVOCATION_WORK_MS) {
  const pacer = new DiscordPacer(realClock, INVOCATION_CALLS_PER_SECOND);
  return {
    requests: INVOCATION_REQUESTS,
    timeLeft: untilDeadline(deadline),
    now,
    pace: () => pacer.slot(),
  };
}

/** A `timeLeft` for a run that must stop starting batches at `deadline` (epoch ms). */
export const untilDeadline = (deadline: number) => () => Date.now() < deadline;

function readLockOptions({ options }: CommandContext, now: Date) {
  const lengthMs = readDuration(options, 'duration', LOCKDOWN_DURATION_BOUNDS);
  const notice = options.string('notice')?.trim() || null;
  return {
    reason: readReason(options, false),
    notice,
    expiresAt: lengthMs ? new Date(now.getTime() + lengthMs) : null,
  };
}

async function lockChannel(context: CommandContext): Promise<Reply> {
  const { services, interaction, waitUntil } = context;
  const now = services.now();
  const input = readLockOptions(context, now);
  const channel = await readTargetChannel(services, interaction, context.options);
  const held = await activeLockOf(services.db, interaction.guild_id, channel.id);
  if (held) {
    const until = held.lockdown.expiresAt ? `, until ${discordTime(held.lockdown.expiresAt, 'f')}` : '';
    return {
      content: `<#${channel.id}> is already locked (since ${discordTime(held.lockdown.createdAt, 'R')} by <@${held.lockdown.moderatorId}>${until}). Nothing changed.`,
    };
  }
  const previous = everyoneOverwrite(channel, interaction.guild_id);
  if (!lockedOverwrite(previous)) {
    return { content: `@everyone already cannot write in <#${channel.id}>. Nothing changed.` };
  }
  const id = crypto.randomUUID();
  const planned = await planLockdown(services.db, {
    id,
    guildId: interaction.guild_id,
    scope: 'channel',
    moderatorId: interaction.member.user.id,
    ...input,
    replyToken: null,
    now,
    channels: [{ channelId: channel.id, previous }],
  });
  if (planned.length === 0) return { content: `<#${channel.id}> was locked a moment ago. Nothing changed.` };

  const run = await advanceLockdown(
    services,
    id,
    invocationLimits(() => services.now()),
  );
  if (run.events.length > 0) waitUntil(publishEvents(services, run.events));
  const [lock] = await channelsInState(services.db, id, ['locked', 'failed', 'skipped', 'pending']);
  if (lock?.state === 'failed') {
    throw new CommandError('forbidden', `I could not lock <#${channel.id}>: ${lock.error}. Nothing changed.`);
  }
  if (lock?.state === 'pending') {
    return {
      content: `Discord did not answer in time while locking <#${channel.id}>. I will keep trying in the background; the mod-log will say when it is locked.`,
    };
  }
  const guild = await getGuild(services.discord, interaction.guild_id);
  const lines = [
    `🔒 Locked <#${channel.id}>: @everyone can no longer send messages, create threads or add reactions there.`,
  ];
  if (input.expiresAt) lines.push(`It unlocks by itself ${discordTime(input.expiresAt, 'R')}.`);
  lines.push(stillAllowedLine(stillAllowedToSend(channel, interaction.guild_id, guild.roles)).trim());
  if (lock?.error)
    lines.push(`The notice was not posted: ${lock.error.replace(/^notice not posted: /, '')}.`);
  return { content: lines.filter(Boolean).join('\n') };
}

async function lockServer(context: CommandContext): Promise<Reply> {
  const { services, interaction, waitUntil } = context;
  const now = services.now();
  const input = readLockOptions(context, now);
  const guildId = interaction.guild_id;
  const [guild, channels, held] = await Promise.all([
    getGuild(services.discord, guildId),
    listGuildChannels(services.discord, guildId),
    heldChannelIds(services.db, guildId),
  ]);
  const everyone = guild.roles.find((role) => role.id === guildId)?.permissions ?? '0';
  const lockable = channels.filter(
    (c) =>
      (LOCKABLE_CHANNEL_TYPES as readonly number[]).includes(c.type) &&
      !held.has(c.id) &&
      everyoneCanSend(c, guildId, everyone),
  );
  if (lockable.length === 0) {
    const already = held.size > 0 ? ` (${held.size} already locked)` : '';
    return {
      content: `There is no channel to lock: @everyone cannot write in any text, announcement or forum channel${already}. Nothing changed.`,
    };
  }
  const id = crypto.randomUUID();
  const planned = await planLockdown(services.db, {
    id,
    guildId,
    scope: 'server',
    moderatorId: interaction.member.user.id,
    ...input,
    replyToken: interaction.token,
    now,
    channels: lockable.map((c) => ({ channelId: c.id, previous: everyoneOverwrite(c, guildId) })),
  });
  if (planned.length === 0) return { content: 'Those channels were locked a moment ago. Nothing changed.' };

  // The reply goes out now; the locking goes on after it, editing it (the token is kept with the
  // lockdown for the scheduler, which finishes whatever this invocation cannot).
  waitUntil(
    (async () => {
      const run = await advanceLockdown(services, id, {
        ...invocationLimits(() => services.now()),
        progress: (row, left) =>
          editLockdownReply(services, row, progressText(false, { total: planned.length, left })),
      });
      if (run.events.length > 0) await publishEvents(services, run.events);
      const row = await readLockdown(services.db, id);
      if (row && run.state !== 'locking') await editLockdownSummary(services, row, false);
    })().catch((error: unknown) => console.error(`lockdown ${id}: ${errorForLog(error)}`)),
  );
  const until = input.expiresAt ? ` It unlocks by itself ${discordTime(input.expiresAt, 'R')}.` : '';
  return {
    content: `🔒 Locking ${planned.length} channel${planned.length === 1 ? '' : 's'}… I will update this message as I go.${until}`,
  };
}

export const lockdown: CommandHandler = async (context) => {
  requireBotPermissions(context.interaction, raidBotPermissions.lockdown);
  if (context.options.subcommand === 'channel') return lockChannel(context);
  if (context.options.subcommand === 'server') return lockServer(context);
  throw new CommandError('invalid_option', 'Use `/lockdown channel` or `/lockdown server`.');
};
