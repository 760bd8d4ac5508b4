// How an appeal's mod-log line reads once decided, pure: the line as posted (from the message's
// stored embeds, found by its footer's `ref <eventId>`), greyed for a denial or green for an
// acceptance, its title saying the decision, and a Decision field: who, when, the unban case, and
// whether the user was told by DM (Discord often refuses: a banned user may share no server with
// the bot). The footer, and so the posted check's `ref`, is kept.
import type { APIEmbed } from 'discord-api-types/v10';
import { discordTimestamp, embedLimits, truncate } from '../../shared/embed-fit.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { eventRef } from './work-item.ts';

const ACCEPTED_COLOUR = 0x57f287;
const DENIED_COLOUR = 0x99aab5;

/** The index of the embed of this event in a message's embeds, or -1. */
export function embedOfEvent(embeds: readonly APIEmbed[], eventId: string): number {
  const ref = eventRef(eventId);
  return embeds.findIndex((e) => e.footer?.text?.endsWith(ref) === true);
}

/** The appeal's line as the decision event says it was decided. */
export function decidedAppealEmbed(line: APIEmbed, decision: LockdownEvent): APIEmbed {
  const data = decision.data;
  const accepted = decision.eventType === 'audit:logged' && data.action === 'appeal.accepted';
  const parts = [
    `${accepted ? 'Accepted' : 'Denied'} by <@${data.moderatorId}> ${discordTimestamp(new Date(decision.timestamp))}`,
  ];
  if (accepted) {
    const number = data.unbanCaseNumber;
    parts.push(typeof number === 'number' ? `Unbanned — case #${number}` : 'Unbanned');
  }
  parts.push(data.dmDelivered === true ? 'Told by DM' : 'Not told: Discord refused the DM');
  const fields = (line.fields ?? []).filter((f) => f.name !== 'Decision');
  const title = (line.title ?? 'Ban appeal').replace(/ \((accepted|denied)\)$/, '');
  return {
    ...line,
    title: truncate(`${title} (${accepted ? 'accepted' : 'denied'})`, embedLimits.title),
    color: accepted ? ACCEPTED_COLOUR : DENIED_COLOUR,
    fields: [
      { name: 'Decision', value: truncate(parts.join('\n'), embedLimits.fieldValue) },
      ...fields,
    ].slice(0, embedLimits.fields),
  };
}
