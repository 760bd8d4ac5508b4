// /modlog set channel:<#channel> | set url:<webhook URL> | off | status — where the relay posts the
// mod-log. The changes are modlog-change.ts's (shared with the dashboard's settings page), the
// status is modlog-status.ts's; this handler parses the options and words the reply.
import { discordTime } from '../../../shared/embed-fit.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { Reply } from '../../interactions/respond.ts';
import { botPermissionsInChannel } from '../../moderation/bot-permissions.ts';
import { commandActor } from '../change-actor.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { importModlog } from './import.ts';
import {
  LOST_RACE,
  type ModlogSetOutcome,
  setModlogChannel,
  setModlogWebhookUrl,
  turnOffModlog,
} from './modlog-change.ts';
import { type ModlogStatus, readModlogStatus } from './modlog-status.ts';

/** The reply to a set, from the command or (the same words) the dashboard. */
export function modlogSetReply(outcome: ModlogSetOutcome): string {
  if (outcome.status === 'lost_race') return LOST_RACE;
  const replay = outcome.replayed
    ? ' Events held back while the old mod-log was broken will be posted there now.'
    : '';
  return `The mod-log now goes to <#${outcome.channelId}>.${replay}`;
}

/**
 * The bot's permissions where the webhook goes: the interaction's `app_permissions` are those of
 * the channel the command was typed in, so another channel's are read from Discord.
 */
async function botPermissionsFor(
  { services, interaction }: CommandContext,
  channelId: string,
): Promise<string> {
  if (channelId === interaction.channel?.id) return interaction.app_permissions;
  const there = await botPermissionsInChannel(services, interaction.guild_id, channelId);
  if (there === null) throw new CommandError('invalid_option', 'That channel is not one of this server’s.');
  return there;
}

async function setModlog(context: CommandContext): Promise<Reply> {
  const { options } = context;
  const channelId = options.channel('channel');
  const url = options.string('url');
  if ((channelId === null) === (url === null)) {
    throw new CommandError('invalid_option', 'Give either a `channel` or a webhook `url`, not both.');
  }
  const actor = commandActor(context);
  const outcome =
    channelId !== null
      ? await setModlogChannel(actor, channelId, await botPermissionsFor(context, channelId))
      : await setModlogWebhookUrl(actor, url as string);
  return { content: modlogSetReply(outcome) };
}

async function turnOff(context: CommandContext): Promise<Reply> {
  const outcome = await turnOffModlog(commandActor(context));
  switch (outcome.status) {
    case 'already_off':
      return { content: 'The mod-log is already off.' };
    case 'lost_race':
      return { content: LOST_RACE };
    case 'off':
      return { content: 'The mod-log is off. Cases are still recorded; `/modlog set` turns it back on.' };
  }
}

/** The status as lines of Discord markdown. */
export function statusLines(status: ModlogStatus): string[] {
  // The audit-log sync's report (functions/audit-sync): without it, actions outside Lockdown go unrecorded.
  const auditLine = status.auditLogMissingSince
    ? `**Audit log:** cannot be read since ${discordTime(status.auditLogMissingSince, 'R')} — grant Lockdown **View Audit Log**; until then bans, kicks and timeouts made outside Lockdown are not recorded.`
    : null;
  if (!status.channelId)
    return ['The mod-log is off. Use `/modlog set` to choose a channel.', ...(auditLine ? [auditLine] : [])];
  return [
    `**Channel:** <#${status.channelId}>`,
    status.brokenAt
      ? `**Health:** broken since ${discordTime(status.brokenAt, 'R')} (${status.brokenReason ?? 'webhook unusable'}). Run \`/modlog set\` again to repair it; held-back events will be posted.`
      : '**Health:** working',
    `**Last delivery:** ${status.lastDeliveryAt ? `${discordTime(status.lastDeliveryAt, 'R')}` : 'none yet'}`,
    `**Events waiting:** ${status.waiting}`,
    `**Dead letters:** ${status.deadLetters}`,
    ...(auditLine ? [auditLine] : []),
  ];
}

async function status({ services, interaction }: CommandContext): Promise<Reply> {
  return { content: statusLines(await readModlogStatus(services.db, interaction.guild_id)).join('\n') };
}

export const modlog: CommandHandler = async (context) => {
  switch (context.options.subcommand) {
    case 'set':
      return setModlog(context);
    case 'off':
      return turnOff(context);
    case 'status':
      return status(context);
    case 'import':
      return importModlog(context);
    default:
      throw new CommandError(
        'invalid_option',
        'Use `/modlog set`, `/modlog off`, `/modlog status` or `/modlog import`.',
      );
  }
};
