// What the reconciler concludes about an unconfirmed action from what Discord shows now. Pure.
// An intent (pending_actions row) left behind means the action's Discord call may or may not have
// happened and its case was not written. Either Discord already confirmed it (`discord_accepted_at`),
// or Discord's present state tells: a ban exists or not, a member is gone or not, a timeout is set
// near the intended end or not.
import { actions, type CaseAction } from '../../shared/actions.ts';
import { timeoutEnd } from '../moderation/timeouts.ts';

export interface IntentFacts {
  action: CaseAction;
  createdAt: Date;
  expiresAt: Date | null;
  discordAcceptedAt: Date | null;
}

/** What to ask Discord before deciding; `none` when the intent can be decided as it is. */
export type Probe = 'none' | 'ban' | 'member';

export function probeFor(intent: IntentFacts): Probe {
  return intent.discordAcceptedAt ? 'none' : actions[intent.action].probe;
}

/** What Discord showed. */
export type Observation =
  | { kind: 'none' }
  | { kind: 'ban'; banned: boolean }
  | { kind: 'member'; present: false }
  | { kind: 'member'; present: true; timeoutUntil: Date | null };

export type Verdict = { verdict: 'record'; timeoutUntil: Date | null } | { verdict: 'drop'; why: string };

/**
 * How far a member's timeout may sit from the end the mute meant to set and still be that mute's:
 * the intent's clock (the database's) and the command's differ by the command's run time.
 */
export const TIMEOUT_MATCH_TOLERANCE_MS = 10 * 60_000;

/** The end of the timeout a /mute recorded at `createdAt` set (see moderation/timeouts.ts). */
export function intendedTimeoutEnd(intent: IntentFacts): Date | null {
  return intent.expiresAt ? timeoutEnd(intent.createdAt, intent.expiresAt) : null;
}

export function decide(intent: IntentFacts, seen: Observation, now: Date): Verdict {
  // Record-only kinds have no Discord state to ask for (and AutoMod's are never intents).
  if (intent.discordAcceptedAt || actions[intent.action].probe === 'none') {
    return { verdict: 'record', timeoutUntil: intent.action === 'mute' ? intendedTimeoutEnd(intent) : null };
  }
  const record = (timeoutUntil: Date | null = null): Verdict => ({ verdict: 'record', timeoutUntil });
  const drop = (why: string): Verdict => ({ verdict: 'drop', why });
  switch (intent.action) {
    case 'ban':
      if (seen.kind !== 'ban') return drop('no ban state seen');
      return seen.banned ? record() : drop('the member is not banned');
    case 'unban':
      if (seen.kind !== 'ban') return drop('no ban state seen');
      return seen.banned ? drop('the member is still banned') : record();
    case 'kick':
      if (seen.kind !== 'member') return drop('no member state seen');
      return seen.present ? drop('the member is still in the server') : record();
    case 'mute': {
      if (seen.kind !== 'member') return drop('no member state seen');
      if (!seen.present) return drop('the member left, so the timeout cannot be checked');
      const intended = intendedTimeoutEnd(intent);
      const actual = seen.timeoutUntil;
      if (!intended || !actual || actual.getTime() <= now.getTime()) return drop('the member has no timeout');
      return Math.abs(actual.getTime() - intended.getTime()) <= TIMEOUT_MATCH_TOLERANCE_MS
        ? record(actual)
        : drop('the member has a different timeout');
    }
    case 'unmute': {
      if (seen.kind !== 'member') return drop('no member state seen');
      if (!seen.present) return drop('the member left, so the timeout cannot be checked');
      const running = seen.timeoutUntil !== null && seen.timeoutUntil.getTime() > now.getTime();
      return running ? drop('the member is still timed out') : record();
    }
    default:
      return record();
  }
}
