// /massban reason [users] [file] [duration] [delete_messages]: bans many users at once, previewed
// first. The preview (ephemeral) parses the list (massban/parse.ts), reads what Discord knows of
// the listed users with a bounded number of calls (massban/lookups.ts), says how many will be
// banned and who is skipped and why, and stores the massban (`previewed`) with Confirm and Cancel
// buttons. The buttons are handled in functions/components/massban-buttons.ts; the banning itself in
// massban/runner.ts, finished by the scheduler (functions/scheduled/continue-massbans.ts).
// A preview that takes long is deferred by interactions/handle.ts like any slow command.
import { BAN_DURATION_BOUNDS, raidBotPermissions } from '../../../shared/command-definitions.ts';
import { CommandError } from '../../interactions/errors.ts';
import { requireBotPermissions } from '../../moderation/checks.ts';
import { readDeleteMessageSeconds, readDuration, readReason } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';
import { readAttachmentText } from './massban/attachment.ts';
import { readListedUsers } from './massban/lookups.ts';
import { classifyTargets, parseUserList } from './massban/parse.ts';
import { previewButtons, previewText } from './massban/replies.ts';
import { createMassban } from './massban/store.ts';

export const massban: CommandHandler = async ({ services, interaction, options }) => {
  requireBotPermissions(interaction, raidBotPermissions.massban);
  const reason = readReason(options, true) as string;
  const lengthMs = readDuration(options, 'duration', BAN_DURATION_BOUNDS);
  const deleteSeconds = readDeleteMessageSeconds(options);
  const text = options.string('users') ?? '';
  const file = options.attachment('file');
  if (!text.trim() && !file) {
    throw new CommandError(
      'invalid_option',
      'Give the users to ban: `users` (IDs or mentions) or a `file` of IDs.',
    );
  }
  const fileText = file ? await readAttachmentText(file, services.discordApiBase) : '';
  const list = parseUserList(text, fileText);
  if (list.ids.length === 0) {
    throw new CommandError(
      'invalid_option',
      `I found no user IDs in that list (${list.invalid.length} entries that are not IDs). Give IDs such as 123456789012345678 or mentions.`,
    );
  }

  const guildId = interaction.guild_id;
  const [facts, listed] = await Promise.all([
    services.guilds.get(guildId),
    readListedUsers(services.discord, guildId, list.ids),
  ]);
  const { userIds, skipped } = classifyTargets(list, {
    moderatorId: interaction.member.user.id,
    moderatorRoleIds: interaction.member.roles,
    botId: services.applicationId,
    ownerId: facts.ownerId,
    roles: facts.roles,
    botRoleIds: facts.botRoleIds,
    memberRoles: listed.memberRoles,
    banned: listed.banned,
  });
  const now = services.now();
  const id = crypto.randomUUID();
  const plan = {
    id,
    guildId,
    moderatorId: interaction.member.user.id,
    reason,
    banSeconds: lengthMs ? Math.round(lengthMs / 1000) : null,
    deleteMessageSeconds: deleteSeconds,
    userIds,
    skipped,
    now,
  };
  const shown = { ...plan, confirmBy: new Date(0), uncheckedBans: listed.uncheckedBans };
  if (userIds.length === 0) return { content: `${previewText(shown)}\nNothing was done.` };
  const confirmBy = await createMassban(services.db, plan);
  return { content: previewText({ ...shown, confirmBy }), components: previewButtons(id) };
};
