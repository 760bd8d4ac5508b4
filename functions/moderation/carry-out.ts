// The path every moderation action takes: record the intent, tell the member by DM, make the
// Discord call, then turn the intent into a case with its event. An action Discord accepted always
// ends as a case: if the database fails after Discord, the intent stays behind and the scheduler's
// reconcile step completes it. An action Discord refused leaves nothing behind (a ban's DM, with
// its Appeal button naming the case to be, is deleted again).
// The intent is also the action's claim on the member (member-claims.ts): a command is refused
// while the scheduler is lifting or ending that member's ban or mute, and the scheduler's action
// (`endsCaseId`) is not carried out once its case has ended or while a command on the member runs.
import type { APIEmbed } from 'discord-api-types/v10';
import { deleteMessage, openDirectMessage, sendMessage } from '../discord/api.ts';
import { DiscordApiError, type DiscordRest } from '../discord/rest.ts';
import { CommandError } from '../interactions/errors.ts';
import type { Services } from '../services.ts';
import { type ActionRecord, abandonIntent, type RecordedCase, recordCase, recordIntent } from './cases.ts';
import { markIntentAccepted } from './intents.ts';
import type { ClaimSide } from './member-claims.ts';
import { memberNoticeComponents } from './notices.ts';

export interface ModerationAction extends Omit<ActionRecord, 'id' | 'dmDelivered'> {
  /** When the action was decided: the case's time, and what `expiresAt` was computed from. */
  at: Date;
  /** What the member is told before the action, or null to tell them nothing. */
  notice: APIEmbed | null;
  /** The Discord call that carries the action out; null for record-only actions (warnings). */
  execute: ((discord: DiscordRest) => Promise<unknown>) | null;
  /** A mod-log Undo: ends exactly this case, claimed so that it is undone once (member-claims.ts). */
  undoesCaseId?: string;
  /**
   * The intent's and so the case's id, when the caller must know it beforehand: an escalation's
   * (its crossing's id), so a second attempt fails on the key instead of acting twice. Default new.
   */
  id?: string;
}

export type ModerationOutcome =
  /** `recorded.event` is the case's event, to publish. */
  | { status: 'recorded'; recorded: RecordedCase; dmDelivered: boolean | null }
  | { status: 'unrecorded'; dmDelivered: boolean | null }
  /** The scheduler's action only: its case ended, or an action on the member is in flight. Nothing done. */
  | { status: 'not_claimed' };

interface SentNotice {
  channelId: string;
  messageId: string;
}

/** Best effort: a member with closed DMs must not block the action. */
async function notifyMember(
  discord: DiscordRest,
  record: ActionRecord,
  notice: APIEmbed,
): Promise<SentNotice | null> {
  try {
    const channel = await openDirectMessage(discord, record.userId);
    const components = memberNoticeComponents(record.action, record.id);
    const message = await sendMessage(discord, channel.id, {
      embeds: [notice],
      ...(components.length > 0 ? { components } : {}),
      allowed_mentions: { parse: [] },
    });
    return { channelId: channel.id, messageId: message.id };
  } catch {
    return null;
  }
}

/**
 * Carries out an action. Throws (CommandError, DiscordApiError, database errors) when nothing was
 * done (for the scheduler's actions, a claim refused is `not_claimed` instead); resolves when Discord accepted it, recorded or — if the database failed afterwards — not yet.
 * A recorded case's event is already in the outbox; publishing it is the caller's: a command hands
 * it to `waitUntil` so the moderator's reply does not wait on Redis, the scheduler publishes the
 * events of a tick in batches.
 */
export async function carryOutAction(
  services: Services,
  action: ModerationAction,
): Promise<ModerationOutcome> {
  const { db, discord } = services;
  const { at, notice, execute, undoesCaseId, id, ...fields } = action;
  const record: ActionRecord = {
    ...fields,
    id: id ?? crypto.randomUUID(),
    dmDelivered: null,
    ...(undoesCaseId ? { endsCaseId: undoesCaseId } : {}),
  };
  const claim: ClaimSide = undoesCaseId
    ? { side: 'undo', caseId: undoesCaseId }
    : record.endsCaseId
      ? { side: 'scheduler', caseId: record.endsCaseId }
      : { side: 'command', schedulerId: services.applicationId };
  if (!(await recordIntent(db, record, claim))) {
    if (claim.side === 'scheduler') return { status: 'not_claimed' };
    if (claim.side === 'undo') {
      throw new CommandError(
        'forbidden',
        'That case was already undone, or another action on this member is in progress; nothing was done.',
      );
    }
    throw new CommandError(
      'unavailable',
      record.action === 'ban' || record.action === 'unban'
        ? `I am ending a temporary ban of <@${record.userId}> right now. Try again in a few seconds.`
        : `I am renewing or ending a mute of <@${record.userId}> right now. Try again in a few seconds.`,
    );
  }

  const sent = notice ? await notifyMember(discord, record, notice) : null;
  record.dmDelivered = notice ? sent !== null : null;

  if (execute) {
    try {
      await execute(discord);
    } catch (error) {
      // An answer we did not get may still have been carried out: keep the intent for the reconciler.
      const unknown = !(error instanceof DiscordApiError) || error.outcomeUnknown;
      if (!unknown) {
        await abandonIntent(db, record.id).catch(() => {});
        if (sent) await deleteMessage(discord, sent.channelId, sent.messageId).catch(() => {});
      }
      throw error;
    }
  }

  let recorded: RecordedCase;
  try {
    recorded = await recordCase(
      db,
      // An escalation says `escalation`; otherwise the claim tells a scheduler's case from a command's.
      { ...record, source: record.source ?? (claim.side === 'scheduler' ? 'scheduler' : 'command') },
      at,
    );
  } catch {
    await markIntentAccepted(db, record.id, record.dmDelivered, services.now()).catch(() => {});
    return { status: 'unrecorded', dmDelivered: record.dmDelivered };
  }
  return { status: 'recorded', recorded, dmDelivered: record.dmDelivered };
}
