// Who makes a settings change and from where: a slash command (/modlog, /escalation, /reasons) or
// the dashboard's settings page. The changes themselves (modlog-change.ts, escalation-change.ts,
// reasons-change.ts) take an actor, so both paths share every check, write and audit event; the
// mod-log line of a dashboard change says so in its details.
import type { Services } from '../services.ts';
import type { CommandContext } from './command-handler.ts';

export interface ChangeActor {
  services: Services;
  guildId: string;
  /** The moderator named in the audit event (the signed-in user on the dashboard). */
  moderator: { id: string; username: string };
  via: 'command' | 'dashboard';
  /** Work that may finish after the answer (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
}

export function commandActor(context: CommandContext): ChangeActor {
  const { services, interaction, waitUntil } = context;
  const { id, username } = interaction.member.user;
  return { services, guildId: interaction.guild_id, moderator: { id, username }, via: 'command', waitUntil };
}

/** The audit event's extra detail: a `Via` field on the mod-log line for dashboard changes. */
export function viaDetails(actor: Pick<ChangeActor, 'via'>): Record<string, string> {
  return actor.via === 'dashboard' ? { Via: 'Dashboard' } : {};
}

/** What Discord's audit log says made a change (webhook creation, deletion). */
export function auditLogReason(actor: ChangeActor, what: string): string {
  const where = actor.via === 'dashboard' ? `dashboard: ${what}` : what;
  return `${actor.moderator.username} (${actor.moderator.id}): ${where}`;
}
