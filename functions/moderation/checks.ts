// Who may do what: the moderator's permission for the command, the bot's own permissions, and
// whether the target may be acted on (not oneself, the bot, the owner, or anyone ranked too high).
// Each refusal is a CommandError naming exactly what is wrong; nothing has been changed when one is thrown.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { actions, type CaseAction } from '../../shared/actions.ts';
import { type CommandName, commandPermissions } from '../../shared/command-definitions.ts';
import {
  checkTarget,
  highestRolePosition,
  missingPermissions,
  type PermissionName,
  permissionLabel,
} from '../../shared/permissions.ts';
import { getMember } from '../discord/api.ts';
import type { GuildDirectory, GuildFacts } from '../discord/guild-directory.ts';
import { DiscordApiError } from '../discord/rest.ts';
import { CommandError } from '../interactions/errors.ts';
import type { GuildInteraction } from '../interactions/guild-interaction.ts';
import type { ResolvedUser } from '../interactions/options.ts';
import type { Services } from '../services.ts';

type Interaction = GuildInteraction;
/** What the permission checks read; a command and a button click in a guild both carry it. */
type Permissions = { member: { permissions: string }; app_permissions: string };

/**
 * Who takes a moderation action, where: what a guild interaction carries of it, which the dashboard
 * builds from Discord's answers (the user's permissions, their member's roles, the bot's roles).
 */
export interface ActingModerator {
  guild_id: string;
  member: { user: { id: string; username: string }; roles: string[]; permissions: string };
  app_permissions: string;
}

export function requireModeratorPermission(interaction: Permissions, command: CommandName): void {
  const needed = commandPermissions[command];
  if (missingPermissions(interaction.member.permissions, [needed]).length > 0) {
    throw new CommandError(
      'forbidden',
      `You need the **${permissionLabel(needed)}** permission to use /${command}.`,
    );
  }
}

export function requireBotPermissions(
  interaction: Pick<Permissions, 'app_permissions'>,
  needed: readonly PermissionName[],
  /** Where the permissions were read: the server, or one channel (`in <#id>`). */
  where = 'in this server',
): void {
  const missing = missingPermissions(interaction.app_permissions, needed);
  if (missing.length > 0) {
    const names = missing.map((name) => `**${permissionLabel(name)}**`).join(' and ');
    throw new CommandError(
      'forbidden',
      `I need the ${names} permission${missing.length > 1 ? 's' : ''} ${where} to do that. Ask an admin to grant it to my role.`,
    );
  }
}

/** Checks that the moderator may act on the target; returns the guild facts it loaded for later use. */
export async function requireActionableTarget(
  guilds: GuildDirectory,
  interaction: ActingModerator,
  target: ResolvedUser,
  verb: CaseAction,
  botId: string,
): Promise<GuildFacts> {
  const mention = `<@${target.id}>`;
  // Cheap refusals first: they need no call to Discord.
  if (target.id === interaction.member.user.id)
    throw new CommandError('forbidden', `You cannot ${verb} yourself.`);
  if (target.id === botId) throw new CommandError('forbidden', `I will not ${verb} myself.`);
  const facts = await guilds.get(interaction.guild_id);
  const refusal = checkTarget({
    moderatorId: interaction.member.user.id,
    moderatorRoleIds: interaction.member.roles,
    targetId: target.id,
    targetRoleIds: target.member?.roles ?? null,
    botId,
    ownerId: facts.ownerId,
    roles: facts.roles,
  });
  if (refusal === 'owner') throw new CommandError('forbidden', `You cannot ${verb} the server owner.`);
  if (refusal === 'hierarchy') {
    throw new CommandError(
      'forbidden',
      `You cannot ${verb} ${mention}: their highest role is not below yours.`,
    );
  }
  // The bot's rank matters only where it acts on the member at Discord; a warning or a note is a record.
  if (target.member && actions[verb].botPermission !== null) {
    const bot = highestRolePosition(facts.botRoleIds, facts.roles);
    if (highestRolePosition(target.member.roles, facts.roles) >= bot) {
      throw new CommandError(
        'forbidden',
        `I cannot ${verb} ${mention}: their highest role is not below mine. Move my role above theirs.`,
      );
    }
  }
  return facts;
}

export function requireMember(target: ResolvedUser): void {
  if (!target.member) throw new CommandError('not_found', `<@${target.id}> is not a member of this server.`);
}

/**
 * A user as a command's `user` option would resolve them, read from Discord now: for targets named
 * by a modal's custom_id or a mod-log button, whose roles no signed payload carries. Not a member
 * (left, kicked, banned): `member` is null.
 */
export async function resolveMember(
  services: Services,
  guildId: string,
  userId: string,
): Promise<ResolvedUser> {
  try {
    const { user, ...member } = await getMember(services.discord, guildId, userId);
    return { id: userId, user: user ?? null, member: { ...member, permissions: '0' } };
  } catch (error) {
    if (error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownMember)
      return { id: userId, user: null, member: null };
    throw error;
  }
}

/** The member's role ids, or null when they are not in the server (left, kicked, banned). */
async function memberRoles(services: Services, guildId: string, userId: string): Promise<string[] | null> {
  return (await resolveMember(services, guildId, userId)).member?.roles ?? null;
}

/** For what has no command of its own (deleting a message): the moderator's permission, by name. */
export function requireModeratorPermissions(
  interaction: Permissions,
  needed: readonly PermissionName[],
  what: string,
): void {
  const missing = missingPermissions(interaction.member.permissions, needed);
  if (missing.length > 0) {
    const names = missing.map((name) => `**${permissionLabel(name)}**`).join(' and ');
    throw new CommandError(
      'forbidden',
      `You need the ${names} permission${missing.length > 1 ? 's' : ''} to ${what}.`,
    );
  }
}

/** A correction of a case (`/reason`, `/case delete`, `/duration`), for who may make it and the wording. */
export type CaseCorrection = 'reason' | 'delete' | 'duration';

const correctionVerbs: Record<CaseCorrection, string> = {
  reason: 'change the reason of',
  delete: 'delete',
  duration: 'change the duration of',
};

/**
 * Who may correct a case: its own moderator, or someone who could have taken the action — the
 * action's permission (shared/actions.ts) and a rank above the case's member, checked as the action
 * checks it. Otherwise anyone with Timeout Members could rewrite or delete a ban under its moderator.
 * A duration is a change to a punishment in force, an action on the member now: its own moderator
 * needs the permission and the rank too.
 */
export async function requireMayEditCase(
  services: Services,
  interaction: Interaction,
  row: { caseNumber: number; action: CaseAction; userId: string; moderatorId: string },
  correction: CaseCorrection = 'reason',
): Promise<void> {
  const editor = interaction.member.user.id;
  const verb = correctionVerbs[correction];
  if (row.moderatorId === editor && correction !== 'duration') return;
  const needed: PermissionName = actions[row.action].moderatorPermission;
  if (missingPermissions(interaction.member.permissions, [needed]).length > 0) {
    const whose = correction === 'duration' ? '' : ' you did not give';
    throw new CommandError(
      'forbidden',
      `You need the **${permissionLabel(needed)}** permission to ${verb} a ${row.action} case${whose}.`,
    );
  }
  const [facts, targetRoleIds] = await Promise.all([
    services.guilds.get(interaction.guild_id),
    memberRoles(services, interaction.guild_id, row.userId),
  ]);
  const refusal = checkTarget({
    moderatorId: editor,
    moderatorRoleIds: interaction.member.roles,
    targetId: row.userId,
    targetRoleIds,
    botId: services.applicationId,
    ownerId: facts.ownerId,
    roles: facts.roles,
  });
  if (refusal === 'self') throw new CommandError('forbidden', `You cannot ${verb} a case about yourself.`);
  if (refusal === 'owner' || refusal === 'hierarchy') {
    throw new CommandError(
      'forbidden',
      `You cannot ${verb} case #${row.caseNumber}: <@${row.userId}>'s highest role is not below yours.`,
    );
  }
}
