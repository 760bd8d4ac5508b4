// /unlock channel|server [reason]: puts back @everyone's overwrite in each channel a lockdown locked,
// as it was before (lockdown/overwrites.ts `restoreOverwrite`). One channel is restored at once and
// announced as `lockdown:lifted`; /unlock server turns every open lockdown of the server to
// `unlocking` and restores in batches like the lock, editing the reply as it goes.
import { raidBotPermissions } from '../../../shared/command-definitions.ts';
import { deleteOverwrite, putRoleOverwrite } from '../../discord/channels.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { progressText, summaryText } from '../../lockdown/lockdown-replies.ts';
import { advanceLockdown } from '../../lockdown/lockdown-runner.ts';
import {
  activeLockOf,
  channelsInState,
  claimLockdown,
  finishStep,
  openLockdowns,
  readLockdown,
  recordChannelRestored,
  requestUnlock,
  stillHolds,
} from '../../lockdown/lockdown-store.ts';
import { everyoneOverwrite, restoreOverwrite } from '../../lockdown/overwrites.ts';
import { editLockdownReply } from '../../lockdown/reply-edits.ts';
import { readTargetChannel } from '../../lockdown/target-channel.ts';
import { errorForLog } from '../../log.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readReason } from '../../moderation/inputs.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { INVOCATION_WORK_MS, invocationLimits } from './lockdown.ts';

async function unlockChannel(context: CommandContext): Promise<Reply> {
  const { services, interaction, options, waitUntil } = context;
  const reason = readReason(options, false);
  const channel = await readTargetChannel(services, interaction, options);
  const held = await activeLockOf(services.db, interaction.guild_id, channel.id);
  if (!held) {
    return { content: `<#${channel.id}> is not locked by Lockdown. Nothing changed.` };
  }
  if (held.lock.state === 'pending') {
    return {
      content: `<#${channel.id}> is being locked right now as part of a server lockdown. Use \`/unlock server\` to undo the whole lockdown, or try again in a moment.`,
    };
  }
  const { lock, lockdown } = held;
  const moderatorId = interaction.member.user.id;
  const previous = lock.hadOverwrite
    ? { allow: BigInt(lock.previousAllow), deny: BigInt(lock.previousDeny) }
    : null;
  const restore = restoreOverwrite(everyoneOverwrite(channel, interaction.guild_id), previous);
  const auditLogReason = `unlock by ${interaction.member.user.username} (${moderatorId})${reason ? `: ${reason}` : ''}`;
  if (restore.kind === 'put') {
    await putRoleOverwrite(services.discord, channel.id, interaction.guild_id, restore.overwrite, {
      auditLogReason,
    });
  } else if (restore.kind === 'delete') {
    await deleteOverwrite(services.discord, channel.id, interaction.guild_id, { auditLogReason });
  }
  const now = services.now();
  const event = await recordChannelRestored(
    services.db,
    lock,
    {
      eventId: crypto.randomUUID(),
      eventType: 'lockdown:lifted',
      timestamp: now.toISOString(),
      data: {
        id: lockdown.id,
        guildId: interaction.guild_id,
        moderatorId,
        reason,
        expiresAt: lockdown.expiresAt?.toISOString() ?? null,
        scope: 'channel',
        channelIds: [channel.id],
        failed: [],
        endState: 'lifted',
      },
    },
    now,
  );
  if (event) waitUntil(publishEvents(services, [event]));
  // The lockdown's last channel: the lockdown itself is over (its one event was the channel's).
  if (!(await stillHolds(services.db, lockdown.id))) {
    if (await requestUnlock(services.db, lockdown.id, { moderatorId, reason, endState: 'lifted', now })) {
      await finishStep(
        services.db,
        { ...lockdown, state: 'unlocking' },
        { from: 'unlocking', to: 'unlocked' },
        null,
        now,
      );
    }
  }
  return {
    content: `🔓 Unlocked <#${channel.id}>; @everyone's permissions there are as they were before the lockdown.`,
  };
}

async function unlockServer(context: CommandContext): Promise<Reply> {
  const { services, interaction, options, waitUntil } = context;
  const reason = readReason(options, false);
  const now = services.now();
  const open = await openLockdowns(services.db, interaction.guild_id);
  if (open.length === 0) return { content: 'Nothing is locked in this server. Nothing changed.' };
  const ids: string[] = [];
  for (const row of open) {
    const asked = await requestUnlock(services.db, row.id, {
      moderatorId: interaction.member.user.id,
      reason,
      endState: 'lifted',
      now,
      replyToken: interaction.token,
    });
    if (asked) ids.push(row.id);
  }
  const total = (await Promise.all(ids.map((id) => channelsInState(services.db, id, ['locked'])))).flat()
    .length;

  waitUntil(
    (async () => {
      let restored = 0;
      const deadline = Date.now() + INVOCATION_WORK_MS;
      for (const id of ids) {
        // A lockdown still locking keeps its holder, which turns to restoring at its next batch.
        if (!(await claimLockdown(services.db, id, services.now()))) continue;
        const before = (await channelsInState(services.db, id, ['locked'])).length;
        const run = await advanceLockdown(services, id, {
          ...invocationLimits(() => services.now(), deadline),
          progress: (row, left) =>
            editLockdownReply(
              services,
              row,
              progressText(true, { total, left: total - restored - (before - left) }),
            ),
        });
        restored += before;
        if (run.events.length > 0) await publishEvents(services, run.events);
      }
      const rows = (await Promise.all(ids.map((id) => readLockdown(services.db, id)))).filter(
        (r) => r !== null,
      );
      const first = rows[0];
      if (!first || rows.some((r) => r.state !== 'unlocked')) return;
      const locks = (
        await Promise.all(ids.map((id) => channelsInState(services.db, id, ['restored', 'restore_failed'])))
      ).flat();
      await editLockdownReply(services, first, summaryText(first, locks, true));
    })().catch((error: unknown) => console.error(`unlock in ${interaction.guild_id}: ${errorForLog(error)}`)),
  );
  return {
    content: `🔓 Unlocking ${total} channel${total === 1 ? '' : 's'}… I will update this message as I go.`,
  };
}

export const unlock: CommandHandler = async (context) => {
  requireBotPermissions(context.interaction, raidBotPermissions.unlock);
  if (context.options.subcommand === 'channel') return unlockChannel(context);
  if (context.options.subcommand === 'server') return unlockServer(context);
  throw new CommandError('invalid_option', 'Use `/unlock channel` or `/unlock server`.');
};
