// The decisions of a timed slowmode, pure: what a /slowmode does to the channel's timer, what the
// end does to the channel, and the words for both (the moderator's reply, the mod-log's details).

import { formatDuration } from '../../shared/duration.ts';
import { discordTime } from '../../shared/embed-fit.ts';

/** "off", "5 seconds", "1 minute": an interval as the reply and the mod-log say it. */
export const describeInterval = (seconds: number) => (seconds === 0 ? 'off' : formatDuration(seconds * 1000));

/** The channel's timer as a /slowmode finds it. */
export interface ActiveTimer {
  previousSeconds: number;
  seconds: number;
}

/**
 * What a /slowmode does to the channel's timer:
 * - `start`: a timed slowmode (a new timer, or one replacing the running one);
 * - `end`: the running timer stops (`off` lifts it, an untimed interval replaces it);
 * - `none`: no timer runs, none is asked for.
 */
export type TimerChange =
  | { kind: 'start'; previousSeconds: number; expiresAt: Date }
  | { kind: 'end'; why: 'lifted' | 'replaced' }
  | { kind: 'none' };

/**
 * `current` is the channel's interval now; `active` the running timer, if any. A replacement keeps
 * the interval from before the first timer, unless the channel was changed by hand since (it no
 * longer has what the timer set): then what it has now is what the new timer puts back.
 */
export function timerChange(
  target: number,
  current: number,
  active: ActiveTimer | null,
  expiresAt: Date | null,
): TimerChange {
  if (expiresAt && target > 0) {
    const keepsOriginal = active !== null && active.seconds === current;
    return { kind: 'start', previousSeconds: keepsOriginal ? active.previousSeconds : current, expiresAt };
  }
  if (active) return { kind: 'end', why: target === 0 ? 'lifted' : 'replaced' };
  return { kind: 'none' };
}

/** The end of a timer: put the previous interval back, or leave a channel someone changed since. */
export type EndAction = { kind: 'restore'; to: number } | { kind: 'leave'; found: number };

export function endAction(timer: ActiveTimer, current: number): EndAction {
  return current === timer.seconds
    ? { kind: 'restore', to: timer.previousSeconds }
    : { kind: 'leave', found: current };
}

/** The end as the mod-log's `Now` says it. */
export function endOutcomeText(outcome: EndAction | { kind: 'gone' }): string {
  switch (outcome.kind) {
    case 'restore':
      return `back to ${describeInterval(outcome.to)}`;
    case 'leave':
      return `changed by hand since (now ${describeInterval(outcome.found)}), left alone`;
    case 'gone':
      return 'the channel no longer exists';
  }
}

/** " It ends in 2 hours, back to off." for a timed slowmode's reply. */
export const endsText = (expiresAt: Date, previousSeconds: number) =>
  `It ends ${discordTime(expiresAt, 'R')}, back to ${describeInterval(previousSeconds)}.`;

/** The moderator's reply to a /slowmode that went through. */
export function slowmodeReply(
  channelId: string,
  target: number,
  before: number,
  change: TimerChange,
): string {
  const where = `<#${channelId}>`;
  if (target === before) {
    if (target === 0) return `Slowmode in ${where} is already off; its timer is stopped.`;
    return change.kind === 'start'
      ? `🐢 Slowmode in ${where} stays ${describeInterval(target)}. ${endsText(change.expiresAt, change.previousSeconds)}`
      : `Slowmode in ${where} stays ${describeInterval(target)}, with no end now.`;
  }
  if (target === 0) return `Slowmode in ${where} is off.`;
  const set = `🐢 Slowmode in ${where}: each member waits ${describeInterval(target)} between messages.`;
  return change.kind === 'start' ? `${set} ${endsText(change.expiresAt, change.previousSeconds)}` : set;
}
