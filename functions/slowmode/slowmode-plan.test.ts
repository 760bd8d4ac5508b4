import { describe, expect, it } from 'vitest';
import { describeInterval, endAction, endOutcomeText, slowmodeReply, timerChange } from './slowmode-plan.ts';

const at = new Date('2026-12-02T12:00:00Z');
const unix = at.getTime() / 1000;

describe('describeInterval', () => {
  it('says off for 0 and the duration otherwise', () => {
    expect(describeInterval(0)).toBe('off');
    expect(describeInterval(5)).toBe('5 seconds');
    expect(describeInterval(3_600)).toBe('1 hour');
  });
});

describe('timerChange', () => {
  it('starts a timer that puts back what the channel has now', () => {
    expect(timerChange(60, 0, null, at)).toEqual({ kind: 'start', previousSeconds: 0, expiresAt: at });
    expect(timerChange(60, 5, null, at)).toEqual({ kind: 'start', previousSeconds: 5, expiresAt: at });
  });

  it('a replacement keeps the interval from before the first timer', () => {
    const running = { previousSeconds: 5, seconds: 60 };
    expect(timerChange(300, 60, running, at)).toEqual({ kind: 'start', previousSeconds: 5, expiresAt: at });
    expect(timerChange(60, 60, running, at)).toEqual({ kind: 'start', previousSeconds: 5, expiresAt: at });
  });

  it('a replacement of a channel changed by hand since puts back what it has now', () => {
    const running = { previousSeconds: 5, seconds: 60 };
    expect(timerChange(300, 10, running, at)).toEqual({ kind: 'start', previousSeconds: 10, expiresAt: at });
  });

  it('off lifts a running timer, an untimed interval replaces it, and no timer means none', () => {
    const running = { previousSeconds: 0, seconds: 60 };
    expect(timerChange(0, 60, running, null)).toEqual({ kind: 'end', why: 'lifted' });
    expect(timerChange(30, 60, running, null)).toEqual({ kind: 'end', why: 'replaced' });
    expect(timerChange(30, 0, null, null)).toEqual({ kind: 'none' });
    expect(timerChange(0, 30, null, null)).toEqual({ kind: 'none' });
  });
});

describe('endAction and endOutcomeText', () => {
  const timer = { previousSeconds: 5, seconds: 60 };

  it('restores while the channel has the interval the timer set', () => {
    expect(endAction(timer, 60)).toEqual({ kind: 'restore', to: 5 });
    expect(endOutcomeText({ kind: 'restore', to: 5 })).toBe('back to 5 seconds');
    expect(endOutcomeText({ kind: 'restore', to: 0 })).toBe('back to off');
  });

  it('leaves a channel changed by hand alone, even one set back to the old interval', () => {
    expect(endAction(timer, 10)).toEqual({ kind: 'leave', found: 10 });
    expect(endAction(timer, 5)).toEqual({ kind: 'leave', found: 5 });
    expect(endOutcomeText({ kind: 'leave', found: 10 })).toBe(
      'changed by hand since (now 10 seconds), left alone',
    );
    expect(endOutcomeText({ kind: 'gone' })).toBe('the channel no longer exists');
  });
});

describe('slowmodeReply', () => {
  const start = { kind: 'start', previousSeconds: 0, expiresAt: at } as const;

  it('says when a timed slowmode ends and what it goes back to', () => {
    expect(slowmodeReply('9', 60, 0, start)).toBe(
      `🐢 Slowmode in <#9>: each member waits 1 minute between messages. It ends <t:${unix}:R>, back to off.`,
    );
    expect(slowmodeReply('9', 60, 0, { kind: 'none' })).toBe(
      '🐢 Slowmode in <#9>: each member waits 1 minute between messages.',
    );
  });

  it('says what a change of timer alone did', () => {
    expect(slowmodeReply('9', 60, 60, start)).toBe(
      `🐢 Slowmode in <#9> stays 1 minute. It ends <t:${unix}:R>, back to off.`,
    );
    expect(slowmodeReply('9', 60, 60, { kind: 'end', why: 'replaced' })).toBe(
      'Slowmode in <#9> stays 1 minute, with no end now.',
    );
    expect(slowmodeReply('9', 0, 0, { kind: 'end', why: 'lifted' })).toBe(
      'Slowmode in <#9> is already off; its timer is stopped.',
    );
    expect(slowmodeReply('9', 0, 60, { kind: 'end', why: 'lifted' })).toBe('Slowmode in <#9> is off.');
  });
});
