// How the pages write the values of a case as text: Discord's mentions as the ids they name (the
// dashboard does not resolve names; `<@id>` would otherwise read as a broken tag), dates in UTC,
// actions and sources in words. The result is still untrusted text: the `html` templates escape it.
import { actions, type CaseAction, type CaseSource, type CaseState } from '../../../shared/actions.ts';

/** `<@1>`, `<@!1>` → `@1`; `<@&1>` → `@&1`; `<#1>` → `#1`; `<t:1700000000:f>` → the date; `<:e:1>` → `:e:`. */
export function discordText(text: string): string {
  return text
    .replace(/<@!?(\d{1,20})>/g, '@$1')
    .replace(/<@&(\d{1,20})>/g, '@&$1')
    .replace(/<#(\d{1,20})>/g, '#$1')
    .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_, s: string) => utc(new Date(Number(s) * 1000)))
    .replace(/<a?:(\w{1,32}):\d{1,20}>/g, ':$1:');
}

/** `2026-01-02 03:04 UTC`. */
export function utc(date: Date): string {
  return Number.isNaN(date.getTime())
    ? 'unknown date'
    : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const actionTitle = (action: CaseAction): string => actions[action].title;

const sourceNames: Record<CaseSource, string> = {
  command: 'Lockdown command',
  discord: "Discord's audit log",
  automod: 'AutoMod',
  scheduler: 'Scheduler',
  escalation: 'Escalation policy',
};
export const sourceName = (source: CaseSource): string => sourceNames[source];

const stateNames: Record<CaseState, string> = {
  active: 'Active',
  lifted: 'Lifted',
  expired: 'Expired',
  superseded: 'Superseded',
};
export const stateName = (state: CaseState): string => stateNames[state];
