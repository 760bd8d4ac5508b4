// What the moderator reads about a lockdown: the reply to /lockdown and /unlock, its progress while
// a server lockdown runs, and the final summary. Pure; always within Discord's 2,000 characters.
import { discordTime, truncate } from '../../shared/embed-fit.ts';
import type { ChannelLockRow, LockdownRow } from './lockdown-store.ts';
import type { RoleBits } from './overwrites.ts';

const MESSAGE_LIMIT = 2_000;

/** Channel mentions with a reason each, as many as fit, then "and N more". */
function listFailures(locks: readonly ChannelLockRow[], room: number): string {
  const lines: string[] = [];
  let used = 0;
  for (const [index, lock] of locks.entries()) {
    const line = `- <#${lock.channelId}>: ${lock.error ?? 'refused by Discord'}`;
    if (used + line.length + 1 > room - 20) {
      lines.push(`- and ${locks.length - index} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

/** Who can still write in a locked channel, so the moderator is not surprised. */
export function stillAllowedLine(still: { roles: RoleBits[]; members: number }): string {
  const parts = still.roles.map((role) => `<@&${role.id}>`);
  if (still.members > 0)
    parts.push(`${still.members} member${still.members === 1 ? '' : 's'} with an overwrite of their own`);
  if (parts.length === 0) return '';
  return `\nStill able to send there (their own permissions override @everyone's): ${parts.join(', ')}.`;
}

export function progressText(unlocking: boolean, counts: { total: number; left: number }): string {
  const verb = unlocking ? 'Unlocking' : 'Locking';
  return `${unlocking ? '🔓' : '🔒'} ${verb}… ${counts.total - counts.left} of ${counts.total} channels done. I will update this message as I go.`;
}

/** The summary once a lock or unlock has gone through every channel. */
export function summaryText(row: LockdownRow, locks: readonly ChannelLockRow[], unlocking: boolean): string {
  const done = locks.filter((l) => l.state === (unlocking ? 'restored' : 'locked'));
  const failed = locks.filter((l) => l.state === (unlocking ? 'restore_failed' : 'failed'));
  const notices = locks.filter((l) => l.state === 'locked' && l.error?.startsWith('notice not posted'));
  const lines: string[] = [];
  if (unlocking) {
    lines.push(
      `🔓 Unlocked ${done.length} channel${done.length === 1 ? '' : 's'}; @everyone's permissions there are as they were before the lockdown.`,
    );
  } else {
    lines.push(
      `🔒 Locked ${done.length} channel${done.length === 1 ? '' : 's'}: @everyone can no longer send messages, create threads or add reactions there.`,
    );
    if (row.expiresAt) lines.push(`They unlock by themselves ${discordTime(row.expiresAt, 'R')}.`);
    if (notices.length > 0) {
      lines.push(
        `The notice could not be posted in ${notices.length} channel${notices.length === 1 ? '' : 's'} (I cannot send messages there once locked).`,
      );
    }
  }
  if (failed.length > 0) {
    const head = `Could not ${unlocking ? 'unlock' : 'lock'} ${failed.length}:`;
    const used = lines.join('\n').length + head.length + 2;
    lines.push(head, listFailures(failed, MESSAGE_LIMIT - used));
  }
  return truncate(lines.join('\n'), MESSAGE_LIMIT);
}
