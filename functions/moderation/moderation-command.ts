// What every moderation command (/ban, /unban, /kick, /mute, /unmute, /warn) does around its own
// Discord call: read and check the target and reason, check permissions and hierarchy, tell the
// member, carry the action out as a case, and confirm it to the moderator. A command module only
// says what differs: its options and the call it makes (the permissions come from shared/actions.ts).
// Started from a message's Apps menu, the case keeps the message as evidence ("Delete and warn" makes
// deleting it the action's Discord call); started by a mod-log Undo, it ends exactly that case.

import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { actions, type CaseAction } from '../../shared/actions.ts';
import type { PermissionName } from '../../shared/permissions.ts';
import type { CommandContext, CommandOrigin } from '../commands/command-handler.ts';
import { deleteMessage } from '../discord/api.ts';
import { DiscordApiError, type DiscordRest } from '../discord/rest.ts';
import { carryOutCrossing, escalationSummary } from '../escalation/runner.ts';
import { publishEvents } from '../events/publish.ts';
import type { CommandOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import { carryOutAction } from './carry-out.ts';
import {
  type ActingModerator,
  requireActionableTarget,
  requireBotPermissions,
  requireMember,
} from './checks.ts';
import { readReason, readTarget } from './inputs.ts';
import { auditLogReason, memberNotice, outcomeSummary } from './notices.ts';

export interface ActionTarget {
  guildId: string;
  userId: string;
  auditLogReason: string;
}

export interface ActionPlan {
  /** For temporary actions: how long; the case's `expires_at` is the action's time plus this. */
  lengthMs: number | null;
  /** For mutes past Discord's 28-day cap: the timeout actually set now. */
  timeoutUntil?: Date | null;
  /** The Discord call; absent for record-only actions. */
  execute?: (discord: DiscordRest, target: ActionTarget) => Promise<unknown>;
}

export interface ModerationCommandSpec {
  action: CaseAction;
  /** Refuse users who are not members of the server (kick, mute, warn…). */
  membersOnly?: boolean;
  reasonRequired?: boolean;
  /** The option the reason is typed in, when it is not `reason` (`/note`'s is `text`). */
  reasonOption?: string;
  /** DM the member before the action (only members can be reached). */
  notifyMember?: boolean;
  /** Reads the command's own options (throwing a CommandError for invalid ones) and plans the call. */
  plan(input: { options: CommandOptions; now: Date }): ActionPlan;
}

/**
 * The Discord call with the evidence's message deleted after it ("Delete and warn"). A message
 * already gone (10008) is no reason to drop the action: it was what the moderator wanted.
 */
function withMessageDeleted(
  execute: ActionPlan['execute'],
  origin: CommandOrigin | undefined,
): ActionPlan['execute'] {
  const evidence = origin?.evidence;
  if (!origin?.deleteMessage || !evidence) return execute;
  return async (discord, target) => {
    if (execute) await execute(discord, target);
    await deleteMessage(discord, evidence.channelId, evidence.messageId, {
      auditLogReason: target.auditLogReason,
    }).catch((error: unknown) => {
      if (!(error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownMessage))
        throw error;
    });
  };
}

/**
 * A command's context, with only what a moderation action reads of the interaction: so the
 * dashboard's Accept of an appeal runs /unban's own handler with the moderator as Discord knows them.
 */
export type ModerationContext = Omit<CommandContext, 'interaction'> & { interaction: ActingModerator };
export type ModerationHandler = (context: ModerationContext) => Promise<Reply>;

export function moderationCommand(spec: ModerationCommandSpec): ModerationHandler {
  return async ({ services, interaction, options, waitUntil, origin }) => {
    const now = services.now();
    const target = readTarget(options);
    const reason = readReason(options, spec.reasonRequired ?? false, spec.reasonOption);
    const plan = spec.plan({ options, now });
    if (spec.membersOnly) requireMember(target);
    const botPermission: PermissionName | null = actions[spec.action].botPermission;
    const botNeeds: PermissionName[] = botPermission ? [botPermission] : [];
    if (origin?.deleteMessage) botNeeds.push('MANAGE_MESSAGES');
    if (botNeeds.length > 0) requireBotPermissions(interaction, botNeeds);
    const guild = await requireActionableTarget(
      services.guilds,
      interaction,
      target,
      spec.action,
      services.applicationId,
    );

    const expiresAt = plan.lengthMs ? new Date(now.getTime() + plan.lengthMs) : null;
    const call: ActionTarget = {
      guildId: interaction.guild_id,
      userId: target.id,
      auditLogReason: auditLogReason(interaction.member.user, reason),
    };
    const execute = withMessageDeleted(plan.execute, origin);
    const evidence = origin?.evidence
      ? { ...origin.evidence, ...(origin.deleteMessage ? { deleted: true } : {}) }
      : null;
    const outcome = await carryOutAction(services, {
      at: now,
      action: spec.action,
      guildId: interaction.guild_id,
      userId: target.id,
      moderatorId: interaction.member.user.id,
      reason,
      expiresAt,
      timeoutUntil: plan.timeoutUntil ?? null,
      notice:
        spec.notifyMember && target.member
          ? memberNotice(spec.action, guild.name, reason, expiresAt, now)
          : null,
      execute: execute ? (discord) => execute(discord, call) : null,
      evidence,
      ...(origin?.undoesCaseId ? { undoesCaseId: origin.undoesCaseId } : {}),
    });
    // A command's claim refused is a CommandError; `not_claimed` is the scheduler's alone.
    if (outcome.status === 'not_claimed') throw new Error('a command action was not claimed');
    // A warning that crossed an escalation policy: its action, as the bot, before the reply.
    const crossing = outcome.status === 'recorded' ? outcome.recorded.crossing : null;
    const escalation = crossing
      ? await carryOutCrossing({ services, appPermissions: interaction.app_permissions, target }, crossing.id)
      : null;
    if (outcome.status === 'recorded')
      waitUntil(publishEvents(services, [outcome.recorded.event, ...(escalation?.events ?? [])]));
    const deleted = origin?.deleteMessage ? ' Their message was deleted.' : '';
    const summary = outcomeSummary(spec.action, target.id, outcome, plan.lengthMs);
    return { content: `${summary}${deleted}${escalationSummary(escalation)}` };
  };
}
