// Answers a context-menu command (right-click → Apps) with the modal that asks for its reason (and
// duration). Everything that can be refused before the moderator types is refused now — permissions,
// the bot's own, a target they may not act on — and checked again on submit, where the slash
// command's handler runs (context-menus/submit-context-menu.ts). A message command saves the message,
// as Discord's signed payload carries it, in a draft the submit takes (drafts.ts).
import {
  type APIContextMenuGuildInteraction,
  type APIInteractionResponse,
  type APIMessage,
  type APIUser,
  ApplicationCommandType,
} from 'discord-api-types/v10';
import { actions, type CaseAction } from '../../shared/actions.ts';
import {
  type ContextMenuSpec,
  contextMenus,
  isContextMenuName,
} from '../../shared/commands/context-menus.ts';
import { evidenceFromMessage } from '../../shared/evidence.ts';
import type { PermissionName } from '../../shared/permissions.ts';
import { CommandError } from '../interactions/errors.ts';
import type { GuildInteraction } from '../interactions/guild-interaction.ts';
import type { ResolvedUser } from '../interactions/options.ts';
import { type InteractionOptions, respondOnce } from '../interactions/run-once.ts';
import {
  requireActionableTarget,
  requireBotPermissions,
  requireModeratorPermission,
  requireModeratorPermissions,
  resolveMember,
} from '../moderation/checks.ts';
import type { Services } from '../services.ts';
import { contextMenuModal } from './context-menu-modal.ts';
import { saveDraft } from './drafts.ts';

/** The action the menu's command takes (the commands are named after their action). */
const menuAction = (spec: ContextMenuSpec): CaseAction => spec.command;

/** The permission checks both ends of the flow make: the moderator's, then the bot's. */
export function requireMenuPermissions(interaction: GuildInteraction, spec: ContextMenuSpec): void {
  requireModeratorPermission(interaction, spec.command);
  if (spec.deleteMessage) requireModeratorPermissions(interaction, ['MANAGE_MESSAGES'], 'delete messages');
  const needs: PermissionName[] = [];
  const own: PermissionName | null = actions[menuAction(spec)].botPermission;
  if (own) needs.push(own);
  if (spec.deleteMessage) needs.push('MANAGE_MESSAGES');
  if (needs.length > 0) requireBotPermissions(interaction, needs);
}

/** The name Discord's client shows (the display name, else the username). */
const displayName = (user: APIUser | null | undefined): string | null =>
  user ? user.global_name || user.username : null;

function targetOfUserCommand(interaction: APIContextMenuGuildInteraction): ResolvedUser {
  const id = interaction.data.target_id;
  const resolved = interaction.data.type === ApplicationCommandType.User ? interaction.data.resolved : null;
  return { id, user: resolved?.users?.[id] ?? null, member: resolved?.members?.[id] ?? null };
}

function targetMessage(interaction: APIContextMenuGuildInteraction): APIMessage {
  const message =
    interaction.data.type === ApplicationCommandType.Message
      ? interaction.data.resolved.messages[interaction.data.target_id]
      : undefined;
  if (!message) throw new CommandError('invalid_option', 'Discord did not send the message; try again.');
  if (message.webhook_id) {
    throw new CommandError(
      'invalid_option',
      'That message was posted by a webhook: there is no member to act on.',
    );
  }
  return message;
}

export function handleContextMenu(
  services: Services,
  interaction: APIContextMenuGuildInteraction,
  options: InteractionOptions,
): Promise<APIInteractionResponse> {
  const name = interaction.data.name;
  return respondOnce(services, interaction, `"${name}"`, options.log, async () => {
    if (!isContextMenuName(name))
      throw new CommandError('invalid_option', `I do not know the command "${name}".`);
    const spec: ContextMenuSpec = contextMenus[name];
    if (spec.type !== interaction.data.type) {
      throw new CommandError('invalid_option', `"${name}" is not a command for this kind of target.`);
    }
    requireMenuPermissions(interaction, spec);
    const message = spec.type === ApplicationCommandType.Message ? targetMessage(interaction) : null;
    // A message command resolves the message, not its author's member: their roles are read now.
    const target = message
      ? await resolveMember(services, interaction.guild_id, message.author.id)
      : targetOfUserCommand(interaction);
    await requireActionableTarget(
      services.guilds,
      interaction,
      target,
      menuAction(spec),
      services.applicationId,
    );
    if (!message) return contextMenuModal(spec, target.id, displayName(target.user));
    const draftId = await saveDraft(
      services.db,
      { guildId: interaction.guild_id, moderatorId: interaction.member.user.id },
      { menu: spec.key, targetId: message.author.id, evidence: evidenceFromMessage(message) },
      services.now(),
    );
    return contextMenuModal(spec, draftId, displayName(message.author));
  });
}
