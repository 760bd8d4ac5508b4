// /duration case duration [reason]: changes when an active temporary ban or mute (timeout) ends.
// The new length is counted from the case's creation, not from now (the end a moderator means when
// they say "make that 7d ban 3d"), and must end in the future, within the action's bounds. Who may:
// the action's own permission and a rank above the member (moderation/checks.ts), the case's own
// moderator included. The change, its history row (case_edits: the old and new end) and its
// `audit:logged` event are one transaction (case-edits.ts); the relay then edits the mod-log line.
// - A mute: the member's timeout is changed at Discord (`PATCH communication_disabled_until`, capped
//   at 28 days from now; past the cap the scheduler renews it until the new end). The PATCH is made
//   under a claim on the member, an intent like a renewal's (member-claims.ts: only while the case is
//   active and no mute or unmute of the member is in flight), so the scheduler's end or renewal of
//   the same mute can neither run between the check and the PATCH nor undo it, and a moderator's
//   /unmute meanwhile is asked to wait a moment. Released in the same batch as the change.
// - A temporary ban: no Discord call; `expires_at` moves, guarded so that a tick that has already
//   claimed the case to lift it (`schedule_claimed_until`) or a ban/unban in flight refuses the
//   change instead of racing it, and the scheduler's bookkeeping starts afresh.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { cases, pendingActions } from '../../../db/schema.ts';
import { actions } from '../../../shared/actions.ts';
import { BAN_DURATION_BOUNDS, MUTE_DURATION_BOUNDS } from '../../../shared/command-definitions.ts';
import { formatDuration } from '../../../shared/duration.ts';
import { discordTime } from '../../../shared/embed-fit.ts';
import { DiscordApiError } from '../../discord/rest.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { errorForLog } from '../../log.ts';
import { type CaseRow, findCase } from '../../moderation/cases.ts';
import { requireBotPermissions, requireMayEditCase } from '../../moderation/checks.ts';
import { freshSchedule, setClaimedTimeout } from '../../moderation/claimed-timeout.ts';
import { readCaseNumber, readDuration, readReason } from '../../moderation/inputs.ts';
import { auditLogReason } from '../../moderation/notices.ts';
import { timeoutEnd } from '../../moderation/timeouts.ts';
import type { Services } from '../../services.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import {
  applyCorrection,
  type Correction,
  correctionEvent,
  notDeleted,
  requireNotDeleted,
} from './case-edits.ts';

export const duration: CommandHandler = async (context) => {
  const { services, interaction, options, waitUntil } = context;
  const caseNumber = readCaseNumber(options, 'case');
  const note = readReason(options, false);
  const found = await findCase(services.db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  requireNotDeleted(found);
  requireChangeable(found);
  const lengthMs = readDuration(
    options,
    'duration',
    found.action === 'ban' ? BAN_DURATION_BOUNDS : MUTE_DURATION_BOUNDS,
  );
  if (lengthMs === null) throw new CommandError('invalid_option', 'Give the new length, e.g. 2h or 7d.');
  const now = services.now();
  const newEnd = new Date(found.createdAt.getTime() + lengthMs);
  if (newEnd.getTime() <= now.getTime()) {
    throw new CommandError(
      'invalid_option',
      `The length is counted from the case (${discordTime(found.createdAt, 'f')}): ${formatDuration(lengthMs)} from then ended ${discordTime(newEnd, 'R')}. Give a longer one.`,
    );
  }
  if (found.expiresAt?.getTime() === newEnd.getTime())
    return { content: `Case #${caseNumber} already ends then (${discordTime(newEnd, 'f')}).` };
  await requireMayEditCase(services, interaction, found, 'duration');
  if (found.action === 'mute') requireBotPermissions(interaction, ['MODERATE_MEMBERS']);

  const change: Change = { context, row: found, newEnd, lengthMs, note, now };
  const event = found.action === 'mute' ? await changeMute(change) : await changeBan(change);
  waitUntil(publishEvents(services, [event]));
  const counted = `${formatDuration(lengthMs)} counted from the case (${discordTime(found.createdAt, 'f')}), not from now`;
  const capped =
    found.action === 'mute' && timeoutEnd(now, newEnd).getTime() < newEnd.getTime()
      ? ' Discord caps a timeout at 28 days, so it is set for 28 days and I renew it until then.'
      : '';
  return {
    content: `Case #${caseNumber} now ends ${discordTime(newEnd, 'f')} (${discordTime(newEnd, 'R')}): ${counted}.${capped}`,
  };
};

/** Only an active temporary ban or a mute has an end to change. */
function requireChangeable(row: CaseRow): void {
  const title = actions[row.action].title.toLowerCase();
  if (row.action !== 'ban' && row.action !== 'mute') {
    throw new CommandError(
      'invalid_option',
      `Case #${row.caseNumber} is a ${title}; /duration changes only temporary bans and mutes.`,
    );
  }
  if (row.action === 'ban' && !row.expiresAt) {
    throw new CommandError(
      'invalid_option',
      `Case #${row.caseNumber} is a permanent ban; /duration changes only temporary bans and mutes.`,
    );
  }
  if (row.state !== 'active') {
    throw new CommandError(
      'invalid_option',
      `Case #${row.caseNumber} is no longer in force (${row.state}); only a ban or mute still in force can be changed.`,
    );
  }
}

interface Change {
  context: CommandContext;
  row: CaseRow;
  newEnd: Date;
  lengthMs: number;
  note: string | null;
  now: Date;
}

function correction(
  change: Change,
  guard: SQL,
  set: Correction['set'],
  also?: Correction['also'],
): Correction {
  const { context, row, newEnd, note, now } = change;
  const editor = context.interaction.member.user.id;
  const oldEnd = row.expiresAt;
  return {
    row,
    field: 'expires_at',
    oldValue: oldEnd?.toISOString() ?? null,
    newValue: newEnd.toISOString(),
    editedBy: editor,
    note,
    guard: and(
      guard,
      sql`${cases.expiresAt} is not distinct from ${oldEnd?.toISOString() ?? null}::timestamptz`,
    ) as SQL,
    set: { ...set, expiresAt: newEnd, ...freshSchedule },
    event: correctionEvent(
      row,
      {
        action: 'case.duration_changed',
        editedBy: editor,
        reason: note,
        details: {
          'Previous end': oldEnd ? discordTime(oldEnd, 'f') : 'none',
          'New end': discordTime(newEnd, 'f'),
          'Counted from': `the case, ${discordTime(row.createdAt, 'f')}`,
        },
      },
      now,
    ),
    now,
    ...(also ? { also } : {}),
  };
}

/** A temporary ban: move `expires_at`, unless a tick is lifting it or a ban/unban is in flight. */
async function changeBan(change: Change) {
  const { services } = change.context;
  const { row, now } = change;
  const guard = and(
    eq(cases.state, 'active'),
    notDeleted,
    sql`(${cases.scheduleClaimedUntil} is null or ${cases.scheduleClaimedUntil} <= ${now.toISOString()}::timestamptz)`,
    sql`not exists (select 1 from ${pendingActions} where ${pendingActions.guildId} = ${cases.guildId}
      and ${pendingActions.userId} = ${cases.userId} and ${pendingActions.action} in ('ban', 'unban'))`,
  ) as SQL;
  const result = await applyCorrection(services.db, correction(change, guard, {}));
  if (result.applied) return result.event;
  return refuseUnchanged(
    services,
    row,
    `I am lifting this ban right now, or another ban or unban of <@${row.userId}> is in progress.`,
  );
}

/** A mute: claim the member, PATCH the timeout, then record the change and release the claim. */
async function changeMute(change: Change) {
  const { services, interaction } = change.context;
  const { row, newEnd, note, now } = change;
  const { db } = services;
  const until = timeoutEnd(now, newEnd);
  const set = await setClaimedTimeout(services, row, {
    expiresAt: newEnd,
    until,
    auditLogReason: auditLogReason(
      interaction.member.user,
      note ?? `case #${row.caseNumber} now ends ${newEnd.toISOString()}`,
    ),
  });
  if (set.status === 'unclaimed') {
    return refuseUnchanged(
      services,
      row,
      `I am renewing or ending this mute right now, or another mute or unmute of <@${row.userId}> is in progress.`,
    );
  }
  if (set.status === 'failed') {
    if (set.error instanceof DiscordApiError && !set.error.outcomeUnknown) throw set.error;
    throw new CommandError(
      'unavailable',
      'Discord did not confirm the new timeout, so nothing was recorded. Run /duration again: it sets the same end.',
    );
  }
  const { release } = set;
  // The claim is held: only a timeout removed in Discord's own UI (read by the audit-log sync) can
  // have ended the case meanwhile. A deletion since does not stop the end moving with the timeout.
  try {
    const result = await applyCorrection(
      db,
      correction(change, eq(cases.state, 'active') as SQL, { timeoutUntil: until }, [release]),
    );
    if (result.applied) return result.event;
  } catch (error) {
    await release.catch(() => undefined);
    console.error(`duration: timeout changed but not recorded for case ${row.id}: ${errorForLog(error)}`);
    throw new CommandError(
      'unavailable',
      `Discord has the new timeout (until ${discordTime(until, 'f')}), but I could not record it. Run /duration again to record it.`,
    );
  }
  throw new CommandError(
    'invalid_option',
    `Case #${row.caseNumber} ended meanwhile, but Discord now has a timeout until ${discordTime(until, 'f')}; /unmute ends it.`,
  );
}

/** Nothing was changed: because the case ended meanwhile, or (`busy`) because something was in flight. */
async function refuseUnchanged(services: Services, row: CaseRow, busy: string): Promise<never> {
  const again = await findCase(services.db, row.guildId, row.caseNumber);
  if (again?.state !== 'active')
    throw new CommandError(
      'invalid_option',
      `Case #${row.caseNumber} is no longer in force; nothing was changed.`,
    );
  throw new CommandError('unavailable', `${busy} Try again in a few seconds.`);
}
