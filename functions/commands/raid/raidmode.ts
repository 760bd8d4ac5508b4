// /raidmode on|off|status: Discord's own raid tools through `PUT /guilds/{id}/incident-actions` —
// pausing joins by invite and DMs between members for up to 24 hours (Discord ends the pause by
// itself) — and what Discord reports in the guild's `incidents_data`, including its own raid and
// DM-spam detection. Changes are logged as `audit:logged` `raidmode.enabled` / `raidmode.disabled`.

import type { APIIncidentsData } from 'discord-api-types/v10';
import {
  RAIDMODE_DEFAULT_MS,
  RAIDMODE_DURATION_BOUNDS,
  raidBotPermissions,
} from '../../../shared/command-definitions.ts';
import { discordTimestamp } from '../../../shared/embed-fit.ts';
import type { AuditAction } from '../../../shared/events.ts';
import { getGuild } from '../../discord/api.ts';
import { putIncidentActions } from '../../discord/channels.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { auditEvent, logChangeMade } from '../../moderation/audit.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readDuration, readReason } from '../../moderation/inputs.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';

/** An ISO time from Discord as a timestamp every reader sees in their own zone. */
const stamp = (iso: string) => discordTimestamp(new Date(iso));

/** A pause still running, as a Date; null when none or over. */
function running(iso: string | null | undefined, now: Date): Date | null {
  if (!iso) return null;
  const at = new Date(iso);
  return at.getTime() > now.getTime() ? at : null;
}

async function currentIncidents(context: CommandContext): Promise<APIIncidentsData | null> {
  const guild = await getGuild(context.services.discord, context.interaction.guild_id);
  return guild.incidents_data ?? null;
}

async function logChange(
  context: CommandContext,
  action: AuditAction,
  reason: string | null,
  details: Record<string, string | null>,
): Promise<string> {
  const { services, interaction, waitUntil } = context;
  const now = services.now();
  const event = auditEvent(
    {
      id: null,
      caseNumber: null,
      guildId: interaction.guild_id,
      userId: interaction.member.user.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt: null,
      action,
      details,
    },
    now,
  );
  const notLogged = await logChangeMade(services, event, waitUntil);
  return notLogged ? `\n${notLogged}` : '';
}

async function turnOn(context: CommandContext): Promise<Reply> {
  const { services, interaction, options } = context;
  const reason = readReason(options, false);
  const lengthMs = readDuration(options, 'duration', RAIDMODE_DURATION_BOUNDS) ?? RAIDMODE_DEFAULT_MS;
  const invites = options.boolean('invites') ?? true;
  const dms = options.boolean('dms') ?? true;
  if (!invites && !dms) {
    throw new CommandError(
      'invalid_option',
      'Pause invites, DMs or both: `invites` and `dms` cannot both be false.',
    );
  }
  const now = services.now();
  const until = new Date(now.getTime() + lengthMs);
  // What is not asked for keeps its current pause: the route sets both fields every time.
  const current = await currentIncidents(context);
  const set = {
    invites: invites ? until : running(current?.invites_disabled_until, now),
    dms: dms ? until : running(current?.dms_disabled_until, now),
  };
  const moderator = interaction.member.user;
  await putIncidentActions(services.discord, interaction.guild_id, set, {
    auditLogReason: `${moderator.username} (${moderator.id}): /raidmode on${reason ? ` — ${reason}` : ''}`,
  });
  const paused = [invites ? 'invites' : null, dms ? 'DMs between members' : null]
    .filter(Boolean)
    .join(' and ');
  const notLogged = await logChange(context, 'raidmode.enabled', reason, {
    Paused: paused,
    Until: stamp(until.toISOString()),
  });
  return {
    content: `🛡️ Raid mode on: ${paused} paused until ${discordTimestamp(until)}. Discord lifts the pause by itself then; \`/raidmode off\` ends it sooner.${notLogged}`,
  };
}

async function turnOff(context: CommandContext): Promise<Reply> {
  const { services, interaction, options } = context;
  const reason = readReason(options, false);
  const now = services.now();
  const current = await currentIncidents(context);
  if (!running(current?.invites_disabled_until, now) && !running(current?.dms_disabled_until, now)) {
    return { content: 'Raid mode is not on: invites and DMs are not paused. Nothing changed.' };
  }
  const moderator = interaction.member.user;
  await putIncidentActions(
    services.discord,
    interaction.guild_id,
    { invites: null, dms: null },
    {
      auditLogReason: `${moderator.username} (${moderator.id}): /raidmode off${reason ? ` — ${reason}` : ''}`,
    },
  );
  const notLogged = await logChange(context, 'raidmode.disabled', reason, { Resumed: 'invites and DMs' });
  return { content: `Raid mode off: invites and DMs between members work again.${notLogged}` };
}

async function status(context: CommandContext): Promise<Reply> {
  const now = context.services.now();
  const current = await currentIncidents(context);
  const invites = running(current?.invites_disabled_until, now);
  const dms = running(current?.dms_disabled_until, now);
  const lines = [
    invites ? `Invites: **paused** until ${stamp(invites.toISOString())}` : 'Invites: open',
    dms ? `DMs between members: **paused** until ${stamp(dms.toISOString())}` : 'DMs between members: open',
  ];
  if (current?.raid_detected_at) lines.push(`Discord detected a raid ${stamp(current.raid_detected_at)}.`);
  if (current?.dm_spam_detected_at)
    lines.push(`Discord detected DM spam ${stamp(current.dm_spam_detected_at)}.`);
  return { content: `🛡️ Raid mode is ${invites || dms ? 'on' : 'off'}.\n${lines.join('\n')}` };
}

export const raidmode: CommandHandler = async (context) => {
  requireBotPermissions(context.interaction, raidBotPermissions.raidmode);
  switch (context.options.subcommand) {
    case 'on':
      return turnOn(context);
    case 'off':
      return turnOff(context);
    case 'status':
      return status(context);
    default:
      throw new CommandError('invalid_option', 'Use `/raidmode on`, `/raidmode off` or `/raidmode status`.');
  }
};
