// What a moderator typing a case number is asking for, and how a suggested case reads. Pure.
// A digit prefix p stands for every case number that starts with it: p itself, p0–p9, p00–p99…,
// i.e. the ranges [p·10^k, (p+1)·10^k − 1]. Each is a range scan of the unique index
// (guild_id, case_number), so the newest matches come from a few short index reads, however many
// cases the server has (see case-suggestions.ts). Anything else is looked for in recent reasons.
import { type ActionSpec, actions, type CaseAction, caseActions } from '../../shared/actions.ts';
import {
  MAX_AUTOCOMPLETE_CHOICES,
  MAX_CASE_NUMBER,
  MAX_CHOICE_LENGTH,
} from '../../shared/commands/limits.ts';
import { truncate } from '../../shared/embed-fit.ts';

/** An inclusive range of case numbers. */
export type CaseRange = readonly [low: number, high: number];

export type CaseQuery =
  /** Nothing typed yet: the newest cases. */
  | { kind: 'newest' }
  /** Digits: the cases whose number starts with them, newest first. */
  | { kind: 'prefix'; ranges: CaseRange[] }
  /** Words: recent cases whose reason contains them, or whose action they name. */
  | { kind: 'text'; text: string; actions: CaseAction[] }
  /** Nothing can match (a leading zero, a number past the largest case number). */
  | { kind: 'none' };

/**
 * The ranges of case numbers (≤ `max`) that start with the digits of `prefix`, highest first; none
 * for a prefix with a leading zero or one that is itself past `max`.
 */
export function caseNumberRanges(prefix: string, max: number = MAX_CASE_NUMBER): CaseRange[] {
  if (!/^[1-9]\d*$/.test(prefix)) return [];
  const p = Number(prefix);
  const ranges: CaseRange[] = [];
  for (let scale = 1; Number.isSafeInteger(p * scale) && p * scale <= max; scale *= 10) {
    ranges.unshift([p * scale, Math.min((p + 1) * scale - 1, max)]);
  }
  return ranges;
}

/** The actions whose name or title starts with `text` ("ban" → ban, "un" → unban and unmute). */
export function actionsNamed(text: string): CaseAction[] {
  const typed = text.toLowerCase();
  if (!typed) return [];
  return caseActions.filter((action) => {
    const spec: ActionSpec = actions[action];
    const names = [action, spec.title, spec.temporaryTitle ?? ''].map((n) => n.toLowerCase());
    return names.some((name) => name.startsWith(typed));
  });
}

export function parseCaseQuery(typed: string): CaseQuery {
  const text = typed.trim().replace(/^#\s*/, '');
  if (text === '') return { kind: 'newest' };
  if (/^\d+$/.test(text)) {
    const ranges = caseNumberRanges(text);
    return ranges.length > 0 ? { kind: 'prefix', ranges } : { kind: 'none' };
  }
  return { kind: 'text', text, actions: actionsNamed(text) };
}

/** What a suggestion shows of a case: the columns case-suggestions.ts reads. */
export interface CaseSummary {
  caseNumber: number;
  action: CaseAction;
  userId: string;
  reason: string | null;
  temporary: boolean;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * "#12 Ban · 123456789012345678 · spamming in #general" within Discord's 100 characters. Cases keep
 * the member's id, not their name (names change; the id is what /warnings takes).
 */
export function caseChoiceName(summary: CaseSummary): string {
  const spec: ActionSpec = actions[summary.action];
  const title = (summary.temporary && spec.temporaryTitle) || spec.title;
  const reason = summary.reason ? oneLine(summary.reason) : '';
  const line = `#${summary.caseNumber} ${title} · ${summary.userId} · ${reason || 'no reason given'}`;
  return truncate(line, MAX_CHOICE_LENGTH);
}

export function caseChoices(rows: readonly CaseSummary[]): { name: string; value: number }[] {
  return rows
    .slice(0, MAX_AUTOCOMPLETE_CHOICES)
    .map((row) => ({ name: caseChoiceName(row), value: row.caseNumber }));
}
