// Escalation policies, the pure part: what counts as a warning, when a policy is crossed, which of
// several crossed policies acts, and the texts (the automatic reason, the policy as a line, the
// moderator's sentence). The counting itself runs in SQL in the warning's own transaction
// (crossing.ts), built from the definitions here. See docs/ARCHITECTURE.md "Escalation".
//
// A policy "N warnings within W" is crossed by a warning when, counting the member's warnings that
// are in force (state active) and not deleted, numbered up to and including this one (case_number)
// and created less than W before it, there are exactly N. Counted by case number and the warning's
// own time, not by "now", so the count is the same whoever counts and whenever — the command that
// recorded the warning, a retry, the scheduler — and two warnings arriving together (#3 and #4)
// count 3 and 4: a policy is crossed once, by the warning that lands exactly on its threshold.
import type { CaseAction } from '../../shared/actions.ts';
import {
  BAN_DURATION_BOUNDS,
  ESCALATION_WARNING_BOUNDS,
  ESCALATION_WINDOW_BOUNDS,
  type EscalationAction,
  escalationActions,
  MAX_REASON_LENGTH,
  MUTE_DURATION_BOUNDS,
} from '../../shared/command-definitions.ts';
import { checkDuration } from '../../shared/duration.ts';

/**
 * What counts as a warning: a moderator's (/warn, the Warn menus, Delete and warn) and AutoMod's
 * record-only cases read from the audit log (a message blocked, a message flagged). A note, or an
 * AutoMod timeout (already a punishment), does not.
 */
export const countedActions = [
  'warn',
  'automod_block',
  'automod_flag',
] as const satisfies readonly CaseAction[];

export function countsAsWarning(action: CaseAction): boolean {
  return (countedActions as readonly CaseAction[]).includes(action);
}

export interface PolicyTerms {
  policyNumber: number;
  warnings: number;
  withinSeconds: number;
  action: EscalationAction;
  /** A mute's or temporary ban's length; null for a kick or a permanent ban. */
  durationSeconds: number | null;
}

/** How severe an action is, for choosing among policies crossed by one warning. */
export const actionSeverity: Record<EscalationAction, number> = { mute: 1, kick: 2, ban: 3 };

/**
 * Several policies crossed by one warning (3 within 1d and 3 within 30d, say): only the most
 * severe acts — a ban over a kick over a mute, a permanent ban over a temporary one, the longer
 * of two, then the lower policy number. A mute followed by a kick of the same member for the same
 * warning would only be noise. Negative when `a` comes first.
 */
export function bySeverity(a: PolicyTerms, b: PolicyTerms): number {
  const forever = Number.MAX_SAFE_INTEGER;
  return (
    actionSeverity[b.action] - actionSeverity[a.action] ||
    (b.durationSeconds ?? forever) - (a.durationSeconds ?? forever) ||
    a.policyNumber - b.policyNumber
  );
}

/** Whether `count` warnings (this one included) cross the policy: exactly its threshold. */
export const crosses = (policy: Pick<PolicyTerms, 'warnings'>, count: number) => count === policy.warnings;

/** The policy that acts on a warning given each policy's count, or null. */
export function chooseCrossed<P extends PolicyTerms>(
  counted: readonly { policy: P; count: number }[],
): P | null {
  const crossed = counted.filter(({ policy, count }) => crosses(policy, count)).map(({ policy }) => policy);
  return crossed.sort(bySeverity)[0] ?? null;
}

const shortUnits: [suffix: string, seconds: number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** "7d", "1h", "1d12h", "90m" → "1h30m": at most the two largest units, as moderators type them. */
export function shortDuration(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [suffix, size] of shortUnits) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${suffix}`);
      rest -= count * size;
    }
    if (parts.length === 2) break;
  }
  return parts.join('') || '0s';
}

/** "3 warnings within 7d". */
export const thresholdText = (policy: Pick<PolicyTerms, 'warnings' | 'withinSeconds'>) =>
  `${policy.warnings} warnings within ${shortDuration(policy.withinSeconds)}`;

/** "mute for 1h", "kick", "ban", "ban for 30d". */
export function actionText(policy: Pick<PolicyTerms, 'action' | 'durationSeconds'>): string {
  return policy.durationSeconds
    ? `${policy.action} for ${shortDuration(policy.durationSeconds)}`
    : policy.action;
}

/** `#2 — at 3 warnings within 7d: mute for 1h`. */
export const policyLine = (policy: PolicyTerms) =>
  `#${policy.policyNumber} — at ${thresholdText(policy)}: ${actionText(policy)}`;

const pastTense: Record<EscalationAction, string> = { mute: 'Muted', kick: 'Kicked', ban: 'Banned' };

/** "**Muted** for 1h", "**Banned**". */
export function didText(policy: Pick<PolicyTerms, 'action' | 'durationSeconds'>): string {
  const length = policy.durationSeconds ? ` for ${shortDuration(policy.durationSeconds)}` : '';
  return `**${pastTense[policy.action]}**${length}`;
}

/**
 * The case's reason: "Automatic: 3 warnings within 7d (cases #12, #15, #19)", within the reason
 * limit (a 50-warning policy lists what fits, then how many more).
 */
export function escalationReason(policy: PolicyTerms, caseNumbers: readonly number[]): string {
  const head = `Automatic: ${thresholdText(policy)}`;
  if (caseNumbers.length === 0) return head;
  const listed: string[] = [];
  for (const [index, number] of caseNumbers.entries()) {
    const rest = caseNumbers.length - index - 1;
    const tail = rest > 0 ? ` and ${rest} more` : '';
    const candidate = `${head} (cases ${[...listed, `#${number}`].join(', ')}${tail})`;
    if (Array.from(candidate).length > MAX_REASON_LENGTH) {
      return `${head} (cases ${listed.join(', ')} and ${caseNumbers.length - index} more)`;
    }
    listed.push(`#${number}`);
  }
  return `${head} (cases ${listed.join(', ')})`;
}

export interface PolicyInput {
  warnings: number | null;
  within: string | null;
  action: string | null;
  duration: string | null;
}

export type PolicyCheck =
  | { ok: true; terms: Omit<PolicyTerms, 'policyNumber'> }
  | { ok: false; error: string };

/** Checks `/escalation add`'s options against the bounds (Discord checks them too; a forger does not). */
export function checkPolicyInput(input: PolicyInput): PolicyCheck {
  const { min, max } = ESCALATION_WARNING_BOUNDS;
  const warnings = input.warnings;
  if (warnings === null || !Number.isInteger(warnings) || warnings < min || warnings > max)
    return { ok: false, error: `A policy acts at ${min} to ${max} warnings.` };
  const action = input.action as EscalationAction | null;
  if (!action || !escalationActions.includes(action))
    return { ok: false, error: 'The action is one of mute, kick or ban.' };
  const within = checkDuration(input.within ?? '', ESCALATION_WINDOW_BOUNDS);
  if (!within.ok) return { ok: false, error: `\`within\`: ${within.error}` };
  const given = input.duration?.trim() ? input.duration : null;
  let durationSeconds: number | null = null;
  if (action === 'kick' && given) return { ok: false, error: 'A kick takes no duration.' };
  if (action === 'mute' && !given) return { ok: false, error: 'A mute needs a duration, e.g. 1h or 7d.' };
  if (given) {
    const length = checkDuration(given, action === 'mute' ? MUTE_DURATION_BOUNDS : BAN_DURATION_BOUNDS);
    if (!length.ok) return { ok: false, error: `\`duration\`: ${length.error}` };
    durationSeconds = Math.round(length.ms / 1000);
  }
  return {
    ok: true,
    terms: { warnings, withinSeconds: Math.round(within.ms / 1000), action, durationSeconds },
  };
}
