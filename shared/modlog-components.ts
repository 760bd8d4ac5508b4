// The buttons under mod-log lines, and the custom_ids every case button carries. The relay renders
// them (one case in a message: Edit reason, Undo while the case is in force and its action has an
// undo, History; several cases: a menu to pick one); the Worker answers them
// (functions/components/case-buttons.ts), trusting nothing in an id until the database confirms it:
// the case must exist in the guild the click came from. Pure.
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { type ActionSpec, actions, type CaseAction } from './actions.ts';
import { isUuid } from './uuids.ts';

/** The custom_id prefix of every case button (functions/components/registry.ts). */
export const CASE_COMPONENT_PREFIX = 'case';

/**
 * - `reason`: opens the Edit reason modal. `undo`: asks for confirmation; `undo-confirm` carries it
 *   out, `undo-cancel` dismisses. `history`: the member's cases. `pick`: the menu of a message with
 *   several cases (its values are case ids).
 */
export const caseComponentKinds = [
  'reason',
  'undo',
  'undo-confirm',
  'undo-cancel',
  'history',
  'pick',
] as const;
export type CaseComponentKind = (typeof caseComponentKinds)[number];

/** The modal the Edit reason button opens: `case-reason:<caseId>`; its one field is `reason`. */
export const CASE_REASON_MODAL_PREFIX = 'case-reason';

export const isCaseId = (value: string): boolean => isUuid(value);

export const caseCustomId = (kind: CaseComponentKind, caseId?: string): string =>
  caseId ? `${CASE_COMPONENT_PREFIX}:${kind}:${caseId}` : `${CASE_COMPONENT_PREFIX}:${kind}`;

/** The kind and case a case component's args (after the prefix) name, or null when malformed. */
export function parseCaseComponent(
  args: readonly string[],
): { kind: CaseComponentKind; caseId: string | null } | null {
  const [kind, caseId, ...rest] = args;
  if (rest.length > 0 || !(caseComponentKinds as readonly string[]).includes(kind ?? '')) return null;
  if (kind === 'pick') return caseId === undefined ? { kind, caseId: null } : null;
  if (caseId === undefined || !isCaseId(caseId)) return null;
  return { kind: kind as CaseComponentKind, caseId };
}

/** What the buttons of one case depend on. */
export interface ModlogCase {
  caseId: string;
  caseNumber: number;
  action: CaseAction;
  /** Still in force (`cases.state = 'active'`): only then is there something to undo. */
  active: boolean;
  /** The member, for the menu's label. */
  userId?: string;
}

/** Discord's limits: 5 buttons a row, 25 options a select menu. */
const MAX_SELECT_OPTIONS = 25;

export function undoAction(action: CaseAction): CaseAction | null {
  const spec: ActionSpec = actions[action];
  return spec.undo;
}

/** Edit reason, Undo (when possible), History. */
export function caseButtonRow(c: ModlogCase): APIActionRowComponent<APIComponentInMessageActionRow> {
  const buttons: APIButtonComponentWithCustomId[] = [
    {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: 'Edit reason',
      custom_id: caseCustomId('reason', c.caseId),
    },
  ];
  const undo = undoAction(c.action);
  if (undo && c.active) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: `Undo (${actions[undo].title.toLowerCase()})`,
      custom_id: caseCustomId('undo', c.caseId),
    });
  }
  buttons.push({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label: 'History',
    custom_id: caseCustomId('history', c.caseId),
  });
  return { type: ComponentType.ActionRow, components: buttons };
}

/** The components of a mod-log message showing these cases (digests and audit lines excluded). */
export function modlogComponents(
  shown: readonly ModlogCase[],
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (shown.length === 0) return [];
  if (shown.length === 1) return [caseButtonRow(shown[0] as ModlogCase)];
  const select: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: caseCustomId('pick'),
    placeholder: 'Act on a case in this message…',
    options: shown.slice(0, MAX_SELECT_OPTIONS).map((c) => ({
      label: `#${c.caseNumber} ${actions[c.action].title}`,
      value: c.caseId,
      ...(c.userId ? { description: `Member ${c.userId}` } : {}),
    })),
  };
  return [{ type: ComponentType.ActionRow, components: [select] }];
}
