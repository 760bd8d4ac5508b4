// Carries out a crossed escalation policy (a `pending` escalations row, written with its warning:
// crossing.ts) through the same pipeline as a moderator's action (moderation/carry-out.ts): the bot
// as moderator, `source: escalation`, the reason "Automatic: 3 warnings within 7d (cases #…)", the
// member told by DM. The case takes the crossing's id, so a second attempt (a retry, the scheduler
// picking up a crossing left pending) fails on the key instead of acting twice.
// - Refused (the owner, ranked at or above the bot, not a member for a mute or kick, a permission
//   the bot lacks, or Discord refusing the same): the row becomes `refused` with the reason and one
//   `escalation.refused` line goes to the mod-log, in one transaction; never retried.
// - Left `pending` for scheduled/continue-escalations.ts: another action on the member in flight,
//   a rate limit, the database down before anything was sent; or Discord's answer lost / the case
//   not saved — then the intent is the reconciler's, and the crossing is settled once it is.
// Never throws: the warning it follows is recorded whatever happens here.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { and, eq, sql } from 'drizzle-orm';
import { escalations } from '../../db/schema.ts';
import { actions } from '../../shared/actions.ts';
import type { LockdownEvent } from '../../shared/events.ts';
import { highestRolePosition, missingPermissions, permissionLabel } from '../../shared/permissions.ts';
import { banUser, kickMember, timeoutMember } from '../discord/api.ts';
import { DiscordApiError, type DiscordRest } from '../discord/rest.ts';
import { bumpEventSequenceIf, queueEventIfChanged, sequenced } from '../events/outbox.ts';
import { CommandError } from '../interactions/errors.ts';
import type { ResolvedUser } from '../interactions/options.ts';
import { errorForLog } from '../log.ts';
import { auditEvent } from '../moderation/audit.ts';
import { carryOutAction } from '../moderation/carry-out.ts';
import { resolveMember } from '../moderation/checks.ts';
import { memberNotice } from '../moderation/notices.ts';
import { timeoutEnd } from '../moderation/timeouts.ts';
import type { Services } from '../services.ts';
import { type LoadedCrossing, loadCrossing, type PolicyRow } from './crossing.ts';
import { actionText, didText, escalationReason, thresholdText } from './decide.ts';

/** What a Discord call of the runner is, for callers that pace their calls: a ban or member write. */
export type EscalationCall = 'read' | 'dm' | 'ban' | 'member';

export interface EscalationContext {
  services: Services;
  /** The bot's permissions when an interaction says (`app_permissions`); null: Discord decides. */
  appPermissions: string | null;
  /** The member as the moderator's command resolved them (their roles): spares a read. */
  target?: ResolvedUser | null;
  /** Awaited before each Discord call made here (the audit-log sync's budget, the tick's pacer). */
  pace?: (call: EscalationCall, guildId: string) => Promise<void>;
}

export type EscalationOutcome =
  | { status: 'done'; policy: PolicyRow; caseNumber: number; events: LockdownEvent[] }
  | { status: 'refused' | 'failed'; policy: PolicyRow | null; why: string; events: LockdownEvent[] }
  /**
   * Not settled here; the scheduler (or the reconciler, then the scheduler) settles it. `acted`:
   * Discord may have carried it out; `trouble`: Discord or the database failed (not a wait).
   */
  | {
      status: 'pending';
      policy: PolicyRow | null;
      why: string;
      acted: boolean;
      trouble: boolean;
      events: LockdownEvent[];
    }
  /** Already settled (by another run), or nothing to carry out. */
  | { status: 'settled'; events: LockdownEvent[] };

const UNIQUE_VIOLATION = '23505';
const TROUBLE = 'something went wrong on our side';

const waiting = (policy: PolicyRow, why: string): EscalationOutcome => ({
  status: 'pending',
  policy,
  why,
  acted: false,
  trouble: false,
  events: [],
});

function isDuplicateIntent(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const fields = e as { code?: unknown; message?: unknown };
    if (fields.code === UNIQUE_VIOLATION) return true;
    if (typeof fields.message === 'string' && fields.message.includes('pending_actions_pkey')) return true;
  }
  return false;
}

/** Carries out the crossing `escalationId` if it is still pending. Never throws. */
export async function carryOutCrossing(
  context: EscalationContext,
  escalationId: string,
): Promise<EscalationOutcome> {
  try {
    const loaded = await loadCrossing(context.services.db, escalationId);
    if (loaded?.escalation.state !== 'pending') return { status: 'settled', events: [] };
    return await carryOut(context, loaded);
  } catch (error) {
    console.error(`escalation ${escalationId}: left for the scheduler: ${errorForLog(error)}`);
    return { status: 'pending', policy: null, why: TROUBLE, acted: false, trouble: true, events: [] };
  }
}

async function carryOut(context: EscalationContext, loaded: LoadedCrossing): Promise<EscalationOutcome> {
  const { services } = context;
  const { escalation, policy, trigger, caseNumbers } = loaded;
  if (!policy) return settle(context, loaded, 'failed', 'its policy was removed', false);
  if (trigger.deletedAt || caseNumbers.length !== policy.warnings)
    return settle(context, loaded, 'failed', 'a warning it counted was deleted since', false);

  const refusal = await refusalOf(context, loaded, policy);
  if (refusal.why) return settle(context, loaded, 'refused', refusal.why, true);
  const member = refusal.member;

  const now = services.now();
  const reason = escalationReason(policy, caseNumbers);
  const lengthMs = policy.durationSeconds ? policy.durationSeconds * 1000 : null;
  const expiresAt = lengthMs ? new Date(now.getTime() + lengthMs) : null;
  const until = policy.action === 'mute' && expiresAt ? timeoutEnd(now, expiresAt) : null;
  const auditLogReason = `Lockdown escalation policy #${policy.policyNumber}: ${reason}`.slice(0, 512);
  const execute = (discord: DiscordRest) => {
    const { guildId, userId } = escalation;
    if (policy.action === 'mute') return timeoutMember(discord, guildId, userId, until, { auditLogReason });
    if (policy.action === 'kick') return kickMember(discord, guildId, userId, { auditLogReason });
    return banUser(discord, guildId, userId, { deleteMessageSeconds: 0, auditLogReason });
  };
  try {
    // Paced before anything is sent: a pace that refuses (no budget left) leaves nothing behind.
    if (member) {
      await context.pace?.('dm', escalation.guildId);
      await context.pace?.('dm', escalation.guildId);
    }
    await context.pace?.(policy.action === 'ban' ? 'ban' : 'member', escalation.guildId);
    const outcome = await carryOutAction(services, {
      id: escalation.id,
      at: now,
      action: policy.action,
      guildId: escalation.guildId,
      userId: escalation.userId,
      moderatorId: services.applicationId,
      reason,
      expiresAt,
      timeoutUntil: until,
      source: 'escalation',
      notice: member ? memberNotice(policy.action, refusal.guildName, reason, expiresAt, now) : null,
      execute,
    });
    if (outcome.status !== 'recorded') {
      const why = 'its case could not be saved yet';
      return { status: 'pending', policy, why, acted: true, trouble: true, events: [] };
    }
    const { row, event } = outcome.recorded;
    await services.db
      .update(escalations)
      .set({ state: 'done', resultCaseId: row.id, updatedAt: services.now() })
      .where(and(eq(escalations.id, escalation.id), eq(escalations.state, 'pending')))
      .catch((error: unknown) => {
        // The case exists; the scheduler sees it and marks the crossing done.
        console.error(`escalation ${escalation.id}: done, not marked: ${errorForLog(error)}`);
      });
    return { status: 'done', policy, caseNumber: row.caseNumber, events: [event] };
  } catch (error) {
    return afterError(context, loaded, policy, error);
  }
}

interface Refusal {
  why: string | null;
  member: ResolvedUser['member'];
  guildName: string;
}

/** What stops the bot acting on the member, checked before anything is sent. */
async function refusalOf(
  context: EscalationContext,
  loaded: LoadedCrossing,
  policy: PolicyRow,
): Promise<Refusal> {
  const { services } = context;
  const { guildId, userId } = loaded.escalation;
  const needed = actions[policy.action].botPermission;
  const facts = await services.guilds.get(guildId);
  const refuse = (why: string): Refusal => ({ why, member: null, guildName: facts.name });
  if (userId === facts.ownerId) return refuse(`<@${userId}> owns the server`);
  if (
    needed &&
    context.appPermissions !== null &&
    missingPermissions(context.appPermissions, [needed]).length
  )
    return refuse(`I lack the **${permissionLabel(needed)}** permission`);
  let target = context.target?.id === userId ? context.target : null;
  if (!target) {
    await context.pace?.('read', guildId);
    target = await resolveMember(services, guildId, userId);
  }
  const member = target.member;
  if (!member && policy.action !== 'ban') return refuse(`<@${userId}> is no longer a member of the server`);
  if (
    member &&
    highestRolePosition(member.roles, facts.roles) >= highestRolePosition(facts.botRoleIds, facts.roles)
  )
    return refuse(`<@${userId}>'s highest role is not below mine`);
  return { why: null, member, guildName: facts.name };
}

async function afterError(
  context: EscalationContext,
  loaded: LoadedCrossing,
  policy: PolicyRow,
  error: unknown,
): Promise<EscalationOutcome> {
  if (error instanceof CommandError) return waiting(policy, 'another action on them is in progress');
  if (isDuplicateIntent(error)) return waiting(policy, 'it is being carried out already');
  if (error instanceof DiscordApiError && !error.outcomeUnknown) {
    if (error.status === 429) return waiting(policy, 'Discord is rate limiting me');
    if (error.code === RESTJSONErrorCodes.MissingPermissions)
      return settle(
        context,
        loaded,
        'refused',
        'Discord refused: I lack the permission, or my role is not above theirs',
        true,
      );
    if (error.code === RESTJSONErrorCodes.UnknownMember)
      return settle(
        context,
        loaded,
        'refused',
        `<@${loaded.escalation.userId}> is no longer a member of the server`,
        true,
      );
    return settle(
      context,
      loaded,
      'failed',
      `Discord refused it (HTTP ${error.status}, code ${error.code})`,
      true,
    );
  }
  // Discord's answer lost (the intent stays for the reconciler), or the database failed first.
  console.error(`escalation ${loaded.escalation.id}: outcome unknown: ${errorForLog(error)}`);
  const acted = error instanceof DiscordApiError;
  const why = acted ? 'Discord did not confirm it' : TROUBLE;
  return { status: 'pending', policy, why, acted, trouble: true, events: [] };
}

/** Gives a crossing up as failed, reported once (the scheduler, after a day of trying). */
export async function giveUpCrossing(
  context: EscalationContext,
  escalationId: string,
  why: string,
): Promise<EscalationOutcome> {
  const loaded = await loadCrossing(context.services.db, escalationId);
  if (loaded?.escalation.state !== 'pending') return { status: 'settled', events: [] };
  return settle(context, loaded, 'failed', why, true);
}

/**
 * Settles the crossing as refused or failed with why; `report` also queues one `escalation.refused`
 * line for the mod-log, in the same transaction and only if the row was still pending (locked).
 */
async function settle(
  context: EscalationContext,
  loaded: LoadedCrossing,
  state: 'refused' | 'failed',
  why: string,
  report: boolean,
): Promise<EscalationOutcome> {
  const { services } = context;
  const { db } = services;
  const { escalation, policy, trigger, caseNumbers } = loaded;
  const now = services.now();
  const pending = and(eq(escalations.id, escalation.id), eq(escalations.state, 'pending'));
  const update = db.update(escalations).set({ state, detail: why, updatedAt: now }).where(pending);
  if (!report || !policy) {
    await update;
    return { status: state, policy, why, events: [] };
  }
  const event = auditEvent(
    {
      id: trigger.id,
      caseNumber: trigger.caseNumber,
      guildId: escalation.guildId,
      userId: escalation.userId,
      moderatorId: services.applicationId,
      reason: `Policy #${policy.policyNumber} (at ${thresholdText(policy)}: ${actionText(policy)}) was not carried out: ${why}.`,
      expiresAt: null,
      action: 'escalation.refused',
      details: { Policy: `#${policy.policyNumber}`, Warnings: caseNumbers.map((n) => `#${n}`).join(', ') },
    },
    now,
  );
  const [queued] = await db.batch([
    queueEventIfChanged(
      db,
      bumpEventSequenceIf(
        escalation.guildId,
        sql`exists (select 1 from ${escalations} where ${pending} for update)`,
      ),
      event,
      now,
    ),
    update,
  ]);
  return { status: state, policy, why, events: queued.rows.length > 0 ? [sequenced(event, queued)] : [] };
}

/** The moderator's sentence after the warning's: what the crossing came to. Pure. */
export function escalationSummary(outcome: EscalationOutcome | null): string {
  if (!outcome || outcome.status === 'settled') return '';
  if (!outcome.policy) {
    return outcome.status === 'pending'
      ? ' It may have reached an escalation policy; if so, I will carry it out within a few minutes.'
      : '';
  }
  const { policy } = outcome;
  const reached = ` This reached ${thresholdText(policy)}`;
  switch (outcome.status) {
    case 'done':
      return `${reached}: ${didText(policy)} — case #${outcome.caseNumber}.`;
    case 'refused':
      return `${reached}, but I did not ${policy.action} them: ${outcome.why}. This is reported in the mod-log.`;
    case 'failed':
      return `${reached}, but the ${actionText(policy)} was not carried out: ${outcome.why}.`;
    case 'pending':
      return outcome.acted
        ? `${reached}: ${didText(policy)}, but ${outcome.why}; it will be recorded automatically.`
        : `${reached}: the ${actionText(policy)} will be carried out within a few minutes (${outcome.why}).`;
  }
}
