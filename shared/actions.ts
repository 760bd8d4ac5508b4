// What each moderation action is, in one table: its event type (the pub/sub channel), how the
// mod-log and the member's DM show it, the permissions it takes, and which earlier cases it ends.
// Every other per-action map (event ↔ action, titles, colours, notices, permission labels) is
// derived from here, so adding an action is one row. See docs/ARCHITECTURE.md "Event contract".
import { type PermissionName, permissionLabel } from './permissions.ts';

/** The actions moderators run as slash commands (each has a command of its name). */
export const commandActions = ['ban', 'unban', 'kick', 'mute', 'unmute', 'warn'] as const;
export type CommandAction = (typeof commandActions)[number];
/**
 * Every kind of case: the command actions, a moderator's private note (`/note`: no DM, no Discord
 * call), and what Discord's AutoMod did without a member action (a message blocked, a message
 * flagged to a channel), learnt from the audit log.
 */
export const caseActions = [...commandActions, 'note', 'automod_block', 'automod_flag'] as const;
export type CaseAction = (typeof caseActions)[number];

/**
 * Where a case came from (`cases.source`, the event's `data.source`): a Lockdown command, Discord's
 * own UI or another bot (read from the audit log), AutoMod, the scheduler (an expiry), or an
 * escalation policy.
 */
export const caseSources = ['command', 'discord', 'automod', 'scheduler', 'escalation'] as const;
export type CaseSource = (typeof caseSources)[number];

/** How a case can stand (the `cases.state` column). */
export const caseStates = ['active', 'lifted', 'expired', 'superseded'] as const;
export type CaseState = (typeof caseStates)[number];

export interface ActionSpec {
  /** The event recorded with each case of this action (`noun:verb`, also its pub/sub channel). */
  eventType: string;
  /** In embed titles and case lists: "Ban | Case #12". */
  title: string;
  /** The title when the case has an end (`expires_at`), if it differs. */
  temporaryTitle?: string;
  /** Embed colour in the mod-log, `/case` and the member's DM. */
  colour: number;
  /** The moderator's confirmation: "**Banned** <@1>". */
  pastTense: string;
  /** The DM title, followed by the server's name. */
  notice: string;
  /** What the moderator needs to run the command (also its `default_member_permissions`). */
  moderatorPermission: PermissionName;
  /** What the bot needs for the Discord call; null for record-only actions. */
  botPermission: PermissionName | null;
  /** Which earlier active cases of the same member a new case ends, and as what. */
  ends: { actions: readonly CaseAction[]; state: CaseState } | null;
  /** What the reconciler asks Discord to learn whether an unconfirmed action happened. */
  probe: 'ban' | 'member' | 'none';
  /** The action a mod-log line's Undo button takes while the case is in force; null: no Undo. */
  undo: CaseAction | null;
}

export const actions = {
  ban: {
    eventType: 'ban:created',
    title: 'Ban',
    temporaryTitle: 'Temporary ban',
    colour: 0xe74c3c,
    pastTense: 'Banned',
    notice: 'You have been banned from',
    moderatorPermission: 'BAN_MEMBERS',
    botPermission: 'BAN_MEMBERS',
    ends: { actions: ['ban'], state: 'superseded' },
    probe: 'ban',
    undo: 'unban',
  },
  unban: {
    eventType: 'ban:removed',
    title: 'Unban',
    colour: 0x2ecc71,
    pastTense: 'Unbanned',
    notice: 'Your ban was lifted in',
    moderatorPermission: 'BAN_MEMBERS',
    botPermission: 'BAN_MEMBERS',
    ends: { actions: ['ban'], state: 'lifted' },
    probe: 'ban',
    undo: null,
  },
  kick: {
    eventType: 'kick:executed',
    title: 'Kick',
    colour: 0xe67e22,
    pastTense: 'Kicked',
    notice: 'You have been kicked from',
    moderatorPermission: 'KICK_MEMBERS',
    botPermission: 'KICK_MEMBERS',
    // A kicked member's timeout stays at Discord, so a mute is not ended by a kick.
    ends: null,
    probe: 'member',
    undo: null,
  },
  mute: {
    eventType: 'mute:applied',
    title: 'Mute',
    colour: 0xf1c40f,
    pastTense: 'Muted',
    notice: 'You have been timed out in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: 'MODERATE_MEMBERS',
    ends: { actions: ['mute'], state: 'superseded' },
    probe: 'member',
    undo: 'unmute',
  },
  unmute: {
    eventType: 'mute:removed',
    title: 'Unmute',
    colour: 0x1abc9c,
    pastTense: 'Unmuted',
    notice: 'Your timeout was lifted in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: 'MODERATE_MEMBERS',
    ends: { actions: ['mute'], state: 'lifted' },
    probe: 'member',
    undo: null,
  },
  warn: {
    eventType: 'warning:added',
    title: 'Warning',
    colour: 0xf39c12,
    pastTense: 'Warned',
    notice: 'You have received a warning in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: null,
    ends: null,
    probe: 'none',
    undo: null,
  },
  note: {
    eventType: 'note:added',
    title: 'Note',
    colour: 0x99aab5,
    pastTense: 'Noted',
    notice: 'A note was added about you in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: null,
    ends: null,
    probe: 'none',
    undo: null,
  },
  automod_block: {
    eventType: 'automod:blocked',
    title: 'AutoMod blocked a message',
    colour: 0x7289da,
    pastTense: 'AutoMod blocked a message of',
    notice: 'AutoMod blocked a message of yours in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: null,
    ends: null,
    probe: 'none',
    undo: null,
  },
  automod_flag: {
    eventType: 'automod:flagged',
    title: 'AutoMod flagged a message',
    colour: 0x9b59b6,
    pastTense: 'AutoMod flagged a message of',
    notice: 'AutoMod flagged a message of yours in',
    moderatorPermission: 'MODERATE_MEMBERS',
    botPermission: null,
    ends: null,
    probe: 'none',
    undo: null,
  },
} as const satisfies Record<CaseAction, ActionSpec>;

/** The event type of each action's cases. */
export type CaseEventType = (typeof actions)[CaseAction]['eventType'];

export const caseEventTypes = caseActions.map(
  (action) => actions[action].eventType,
) as readonly CaseEventType[];

/** The action each case event type records (the inverse of `actions[…].eventType`). */
export const eventActions = Object.fromEntries(
  caseActions.map((action) => [actions[action].eventType, action]),
) as Record<CaseEventType, CaseAction>;

/**
 * The moderator of a case whose actor Discord does not name: a bulk ban's audit-log entry carries no
 * user_id (discord-api-docs#8188). Not a user id; embeds show it as unknown.
 */
export const UNKNOWN_MODERATOR_ID = '0';

/** Colour of `audit:logged` lines (configuration and case-management changes). */
export const AUDIT_COLOUR = 0x95a5a6;

/** The permission the bot needs for an action, as Discord's client names it ("Timeout Members"). */
export function botPermissionLabel(action: CaseAction): string {
  const permission: PermissionName | null = actions[action].botPermission;
  return permission ? permissionLabel(permission) : 'none';
}
