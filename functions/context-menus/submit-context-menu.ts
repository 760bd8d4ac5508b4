// A context-menu modal submitted: the slash command's own handler runs with the modal's fields as its
// options, so parsing, limits, checks and the case pipeline are the ones /warn, /mute, /kick and /ban
// use. The custom_id names the target (user commands) or the draft with the message (message
// commands); neither is trusted: the user's roles are read from Discord, the draft must be this
// moderator's, in this server, unexpired, and is used once.
import { ApplicationCommandType } from 'discord-api-types/v10';
import { type ContextMenuSpec, contextMenuByKey } from '../../shared/commands/context-menus.ts';
import { isSnowflake } from '../../shared/snowflakes.ts';
import { isUuid } from '../../shared/uuids.ts';
import type { CommandOrigin } from '../commands/command-handler.ts';
import { commandHandlers } from '../commands/handlers.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import type { ModalContext } from '../modals/handle-modal.ts';
import { readModalFields } from '../modals/modal.ts';
import { resolveMember } from '../moderation/checks.ts';
import { expandSavedReason } from '../moderation/saved-reasons.ts';
import { takeDraft } from './drafts.ts';
import { requireMenuPermissions } from './handle-context-menu.ts';

export async function submitContextMenu({
  services,
  interaction,
  args,
  waitUntil,
}: ModalContext): Promise<Reply> {
  const [key = '', ref = '', ...rest] = args;
  const menu = contextMenuByKey(key);
  if (!menu || rest.length > 0)
    throw new CommandError('invalid_option', 'That form is not one of mine; nothing was done.');
  const spec: ContextMenuSpec = menu.spec;
  requireMenuPermissions(interaction, spec);

  let targetId: string;
  let origin: CommandOrigin | undefined;
  if (spec.type === ApplicationCommandType.User) {
    if (!isSnowflake(ref))
      throw new CommandError('invalid_option', 'That form names no member; nothing was done.');
    targetId = ref;
  } else {
    if (!isUuid(ref))
      throw new CommandError('invalid_option', 'That form names no message; nothing was done.');
    const draft = await takeDraft(
      services.db,
      ref,
      { guildId: interaction.guild_id, moderatorId: interaction.member.user.id, menu: spec.key },
      services.now(),
    );
    if (!draft) {
      throw new CommandError(
        'not_found',
        'This form has expired or was already used. Right-click the message and choose the command again.',
      );
    }
    targetId = draft.targetId;
    origin = { evidence: draft.evidence, deleteMessage: spec.deleteMessage ?? false };
  }

  const fields = readModalFields(interaction.data);
  const target = await resolveMember(services, interaction.guild_id, targetId);
  const options = await expandSavedReason(
    services.db,
    interaction.guild_id,
    givenOptions({
      user: { user: target },
      string: { reason: fields.reason ?? null, duration: fields.duration ?? null },
    }),
  );
  return commandHandlers[spec.command]({
    services,
    interaction,
    options,
    waitUntil,
    ...(origin ? { origin } : {}),
  });
}
