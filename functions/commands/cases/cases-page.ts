// How a page of /cases reads: one embed (the filters, then up to ten case lines) inside Discord's
// limits, and Previous/Next buttons whose custom_ids carry the filters and the keyset cursor
// (case-filters.ts). A button with nowhere to go is shown disabled; a single page has none. Pure.
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { embedLimits, fitEmbed, truncate } from '../../../shared/embed-fit.ts';
import type { Reply } from '../../interactions/respond.ts';
import type { CaseRow } from '../../moderation/cases.ts';
import { type CaseFilters, describeFilters, type PageRequest, pageCustomId } from './case-filters.ts';
import { caseLine } from './case-lines.ts';

/** Whether there are cases before (newer) and after (older) the page shown. */
export interface PagePosition {
  newer: boolean;
  older: boolean;
}

const colour = 0x5865f2;

export function casesEmbed(filters: CaseFilters, rows: readonly CaseRow[]): APIEmbed {
  const described = describeFilters(filters);
  const head = described ? `Filters: ${described}` : 'All cases in this server.';
  const lines = rows.map((row) => caseLine(row, { showMember: true }));
  return fitEmbed({
    title: 'Cases',
    color: colour,
    description: truncate([head, '', ...lines].join('\n'), embedLimits.description),
    footer: { text: filters.since ? 'Newest first, by date' : 'Newest first' },
  });
}

function button(
  label: string,
  filters: CaseFilters,
  page: PageRequest,
  enabled: boolean,
): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: pageCustomId(filters, page),
    disabled: !enabled,
  };
}

/** Previous (newer cases) and Next (older), or none when everything fits on this page. */
export function pageButtons(
  filters: CaseFilters,
  rows: readonly CaseRow[],
  position: PagePosition,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last || (!position.newer && !position.older)) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        button('Previous', filters, { direction: 'newer', cursor: first.caseNumber }, position.newer),
        button('Next', filters, { direction: 'older', cursor: last.caseNumber }, position.older),
      ],
    },
  ];
}

/** The reply (or the clicked message's new content) for one page; rows newest first. */
export function casesReply(filters: CaseFilters, rows: readonly CaseRow[], position: PagePosition): Reply {
  if (rows.length === 0) {
    return {
      content: describeFilters(filters) ? 'No cases match these filters.' : 'This server has no cases yet.',
    };
  }
  return { embeds: [casesEmbed(filters, rows)], components: pageButtons(filters, rows, position) };
}
