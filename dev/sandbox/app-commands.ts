// The Apps menu from the sandbox page: which context-menu commands the member at the keyboard is
// shown (`default_member_permissions` against their permissions in the channel, Administrator —
// and so the owner — passing every check, "0" only administrators, as Discord decides it), and one
// chosen, sent as Discord sends it: a user command with the user right-clicked resolved (and their
// member, with roles), or a message command with the message exactly as the stand-in keeps it (read
// from its state, its author resolved too). The answer comes back as Discord's client uses it: a
// modal to open (kept until it is submitted, see modal-submit.ts), or a message.
import {
  type APIMessage,
  type APIMessageInteractionMetadata,
  ApplicationCommandType,
  InteractionType,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { contextMenuDefinitions } from '../../shared/commands/context-menus.ts';
import type { GuildSnapshot, SeedUser } from '../discord/server.ts';
import { buildMessageCommandInteraction, buildUserCommandInteraction } from '../interactions.ts';
import type { ShapedOutcome } from './answers.ts';
import { CommandInputError, memberPermissions } from './command-options.ts';
import { interactionParty, sendCommandInteraction } from './commands.ts';
import { addClientFields, invokerOf, metadataUser } from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { WorkerLink } from './worker-link.ts';

/** What the page sends when an Apps entry is chosen. */
export interface AppCommandRequest {
  name: string;
  invokerId?: string;
  /** Where the menu was opened (a message command: the message's channel); #general unless given. */
  channelId?: string;
  /** A user command: who was right-clicked. */
  targetId?: string;
  /** A message command: the message right-clicked, in `channelId`. */
  messageId?: string;
}

/** Whether Discord shows a command with these `default_member_permissions` to a member holding `permissions`. */
export function mayUse(defaultMemberPermissions: string | null | undefined, permissions: bigint): boolean {
  if (defaultMemberPermissions === null || defaultMemberPermissions === undefined) return true;
  if ((permissions & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return true;
  const needed = BigInt(defaultMemberPermissions);
  // "0" disables the command for everyone but administrators.
  if (needed === 0n) return false;
  return (permissions & needed) === needed;
}

/** The Apps entries a member is shown in a channel: user commands and message commands, by name. */
export function appsMenu(
  guild: GuildSnapshot,
  invokerId: string,
  channelId: string,
): { user: string[]; message: string[] } {
  const permissions = memberPermissions(guild, invokerId, channelId);
  const shown = contextMenuDefinitions.filter((d) => mayUse(d.default_member_permissions, permissions));
  return {
    user: shown.filter((d) => d.type === ApplicationCommandType.User).map((d) => d.name),
    message: shown.filter((d) => d.type === ApplicationCommandType.Message).map((d) => d.name),
  };
}

/** The user Discord resolves for a user id: a member's, a banned user's or another known user's. */
function knownUser(guild: GuildSnapshot, outsiders: SeedUser[], id: string): SeedUser | undefined {
  const member = guild.members.find((m) => m.user?.id === id);
  if (member?.user) return member.user as SeedUser;
  return (
    (guild.bans.find((b) => b.user.id === id)?.user as SeedUser | undefined) ??
    outsiders.find((u) => u.id === id)
  );
}

export async function runAppCommand(
  link: WorkerLink,
  setup: { applicationId: string; guild: SandboxGuild; outsiders: SeedUser[] },
  request: AppCommandRequest,
): Promise<ShapedOutcome> {
  const definition = contextMenuDefinitions.find((d) => d.name === request.name);
  if (!definition) throw new CommandInputError(`There is no Apps entry “${String(request.name)}”.`);
  const guild = await link.guildState();
  const invoker = invokerOf(guild, request.invokerId ?? setup.guild.defaultInvokerId);
  const channelId = request.channelId ?? setup.guild.channels.general;
  if (!guild.channels.some((c) => c.id === channelId)) {
    throw new CommandInputError('There is no such channel in this server.');
  }
  const permissions = memberPermissions(guild, invoker.id, channelId);
  // Discord's client does not list an entry the member may not use, so it is never sent.
  if (!mayUse(definition.default_member_permissions, permissions)) {
    throw new CommandInputError(`${invoker.username} is not shown “${definition.name}” in the Apps menu.`);
  }
  const base = { ...interactionParty(setup.applicationId, guild, invoker, channelId), name: definition.name };
  const metadata = {
    id: '',
    type: InteractionType.ApplicationCommand,
    name: definition.name,
    user: metadataUser(invoker),
    authorizing_integration_owners: { '0': guild.id },
  } as APIMessageInteractionMetadata & { name: string };
  let interaction: { id: string; token: string; member: unknown; data: { resolved?: unknown } };
  if (definition.type === ApplicationCommandType.User) {
    const target =
      typeof request.targetId === 'string' ? knownUser(guild, setup.outsiders, request.targetId) : undefined;
    if (!target) throw new CommandInputError('Right-click someone Discord knows.');
    const member = guild.members.find((m) => m.user?.id === target.id);
    interaction = buildUserCommandInteraction({
      ...base,
      target: { id: target.id, username: target.username, roles: member ? member.roles : null },
    });
    const resolved = interaction.data.resolved as {
      users: Record<string, { global_name: string | null }>;
      members: Record<string, { nick?: string | null; communication_disabled_until?: string | null }>;
    };
    const user = resolved.users[target.id];
    if (user) user.global_name = target.global_name ?? null;
    const resolvedMember = resolved.members[target.id];
    if (resolvedMember && member) {
      resolvedMember.nick = member.nick ?? null;
      resolvedMember.communication_disabled_until = member.communication_disabled_until ?? null;
    }
    Object.assign(metadata, {
      target_user: {
        id: target.id,
        username: target.username,
        discriminator: '0',
        global_name: target.global_name ?? null,
        avatar: null,
      },
    });
  } else {
    const kept = (await link.channelMessages(channelId)).find((m) => m.id === request.messageId);
    if (!kept) throw new CommandInputError('That message is not in this channel (any more).');
    const { allowed_mentions: _sandboxOnly, ...message } = kept;
    const author = guild.members.find((m) => m.user?.id === message.author.id);
    interaction = buildMessageCommandInteraction({
      ...base,
      message: message as APIMessage,
      // A webhook's message has no member behind it.
      authorRoles: author && !message.webhook_id ? author.roles : null,
    });
    const users = (interaction.data.resolved as { users: Record<string, { global_name: string | null }> })
      .users;
    const user = users[message.author.id];
    if (user) user.global_name = message.author.global_name ?? null;
    Object.assign(metadata, { target_message_id: message.id });
  }
  addClientFields(interaction, guild, invoker, channelId);
  metadata.id = interaction.id;
  const where = { applicationId: setup.applicationId, guild, invoker, channelId };
  return sendCommandInteraction(link, interaction, where, metadata, MessageType.ContextMenuCommand);
}
