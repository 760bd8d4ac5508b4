// The buttons under a mod-log message (shared/modlog-components.ts), as the relay sends them: for the
// case embeds the message shows alone — a digest's lines and audit or lockdown lines get none — and
// only on a webhook our application made (Discord ignores components on any other webhook unless
// asked, and then refuses interactive ones). On posting, a case is in force (its event just
// happened; a later case that ends it edits the line); on an edit, from the cases' rows. An appeal's
// line (`appeal.created`, which travels alone) gets Accept and Deny until its decision edits it. Pure.
import { actions, type CaseAction, eventActions } from '../../shared/actions.ts';
import { appealDecisionRow, createdAppealId } from '../../shared/appeal-components.ts';
import type { CaseEventData, CaseEventType, LockdownEvent } from '../../shared/events.ts';
import { type ModlogCase, modlogComponents } from '../../shared/modlog-components.ts';
import type { EmbedCases, ModlogTarget } from '../store/relay-store.ts';
import type { MessagePart, WorkItem } from './work-item.ts';

export type MessageComponents = ReturnType<typeof modlogComponents>;

type CaseEvent = Extract<LockdownEvent, { data: CaseEventData }>;

/** The action of a case event, or null for audit and lockdown events. */
export function caseActionOf(event: LockdownEvent): CaseAction | null {
  return Object.hasOwn(eventActions, event.eventType) ? eventActions[event.eventType as CaseEventType] : null;
}

/** A case event whose action ends earlier cases (shared/actions.ts `ends`): its post edits their lines. */
export function endsOtherCases(event: LockdownEvent): boolean {
  const action = caseActionOf(event);
  return action !== null && actions[action].ends !== null;
}

/** The components of a message about to be posted, or undefined when it gets none. */
export function postedComponents(
  parts: readonly MessagePart[],
  target: ModlogTarget,
): MessageComponents | undefined {
  // Discord refused this item's message with its buttons once: it goes without (plain).
  if (!target.owned || parts.some((p) => p.items.some((i: WorkItem) => i.plain))) return undefined;
  const appealId = parts.length === 1 && parts[0]?.items[0] ? createdAppealId(parts[0].items[0].event) : null;
  if (appealId) return [appealDecisionRow(appealId)];
  const shown = parts.flatMap((part): ModlogCase[] => {
    const item = part.items[0];
    const action = item && !part.digest ? caseActionOf(item.event) : null;
    if (!item || !action) return [];
    const { data } = item.event as CaseEvent;
    return [{ caseId: data.id, caseNumber: data.caseNumber, action, active: true, userId: data.userId }];
  });
  return shown.length > 0 ? modlogComponents(shown) : undefined;
}

/** The case ids a posted message shows alone, in embed order (digest embeds and audit lines left out). */
export const singleCaseIds = (caseIds: readonly EmbedCases[]): string[] =>
  caseIds.filter((id): id is string => typeof id === 'string');

/**
 * The components of an edited message from its cases as they are now (`cases` known, in any order),
 * or undefined when it gets none.
 */
export function editedComponents(
  caseIds: readonly EmbedCases[],
  cases: readonly ModlogCase[],
  target: ModlogTarget,
): MessageComponents | undefined {
  if (!target.owned) return undefined;
  const byId = new Map(cases.map((c) => [c.caseId, c]));
  const shown = singleCaseIds(caseIds).flatMap((id) => {
    const known = byId.get(id);
    return known ? [known] : [];
  });
  return shown.length > 0 ? modlogComponents(shown) : undefined;
}
