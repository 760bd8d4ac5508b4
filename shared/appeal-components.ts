// Ban appeals' custom_ids and buttons: the Appeal button on a ban DM (`appeal:open:<case id>`), the
// modal it opens (`appeal:submit:<case id>`), and Accept / Deny under the appeal's mod-log line
// (`appeal:accept:<appeal id>`, `appeal:deny:<appeal id>`). The relay renders the line's buttons,
// the Worker answers all of them (functions/appeals/), trusting no id until the database confirms
// it. What an appeal's events carry beyond an audit line's fields (`appealId`, `appealEventId`). Pure.
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import type { LockdownEvent } from './events.ts';
import { isUuid } from './uuids.ts';

export const APPEAL_PREFIX = 'appeal';
export const appealComponentKinds = ['open', 'submit', 'accept', 'deny'] as const;
export type AppealComponentKind = (typeof appealComponentKinds)[number];

/** The modal's one field: why the ban should be lifted. */
export const APPEAL_TEXT_FIELD = 'reason';
export const APPEAL_TEXT_MAX = 1000;

export const appealCustomId = (kind: AppealComponentKind, id: string): string =>
  `${APPEAL_PREFIX}:${kind}:${id}`;

/** `open`/`submit` name a ban case, `accept`/`deny` an appeal; null for anything malformed. */
export function parseAppealCustomId(customId: string): { kind: AppealComponentKind; id: string } | null {
  const [prefix, kind, id, ...rest] = customId.split(':');
  if (prefix !== APPEAL_PREFIX || rest.length > 0 || id === undefined || !isUuid(id)) return null;
  if (!(appealComponentKinds as readonly string[]).includes(kind ?? '')) return null;
  return { kind: kind as AppealComponentKind, id };
}

/** The first eight characters of an appeal's id, as moderators and reasons quote it. */
export const shortAppealId = (appealId: string): string => appealId.slice(0, 8);

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The Appeal button under a ban DM. */
export function appealButtonRow(caseId: string): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: 'Appeal',
        custom_id: appealCustomId('open', caseId),
      },
    ],
  };
}

/** Accept and Deny under an appeal's mod-log line. */
export function appealDecisionRow(appealId: string): Row {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Success,
        label: 'Accept',
        custom_id: appealCustomId('accept', appealId),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: 'Deny',
        custom_id: appealCustomId('deny', appealId),
      },
    ],
  };
}

const auditActionOf = (event: LockdownEvent): string | null =>
  event.eventType === 'audit:logged' ? event.data.action : null;

/** An appeal's own line (`appeal.created`): its appeal's id, or null for any other event. */
export function createdAppealId(event: LockdownEvent): string | null {
  if (auditActionOf(event) !== 'appeal.created') return null;
  const id = event.data.appealId;
  return typeof id === 'string' && isUuid(id) ? id : null;
}

/** A decision (`appeal.accepted`/`appeal.denied`): the event id of the appeal's line it edits, or null. */
export function decidedAppealEventId(event: LockdownEvent): string | null {
  const action = auditActionOf(event);
  if (action !== 'appeal.accepted' && action !== 'appeal.denied') return null;
  const id = event.data.appealEventId;
  return typeof id === 'string' && isUuid(id) ? id : null;
}
