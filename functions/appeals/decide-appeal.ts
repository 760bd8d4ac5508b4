// Accept and Deny under an appeal's mod-log line (a click in the server, from the mod-log channel).
// Only a moderator with Ban Members in the appeal's own server decides, and only once: the decision
// is taken by a conditional UPDATE (appeal-store.ts claimDecision), so two Accepts unban once.
// Accept runs /unban's own handler as a mod-log Undo of the ban (the undo claim: exactly that case,
// once); an unban refused puts the appeal back to pending. Either way the user is told by DM, best
// effort (a banned user often shares no server with the bot), and the decision's audit line, which
// says whether the DM arrived, edits the appeal's line (the relay: its buttons go).
import type { APIEmbed, APIInteractionResponse } from 'discord-api-types/v10';
import { parseAppealCustomId, shortAppealId } from '../../shared/appeal-components.ts';
import { commandHandlers } from '../commands/handlers.ts';
import type { ComponentContext } from '../components/registry.ts';
import { openDirectMessage, sendMessage } from '../discord/api.ts';
import { publishEvents } from '../events/publish.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import { answerWithinBudget, failureReply } from '../interactions/run-once.ts';
import { requireModeratorPermissions, resolveMember } from '../moderation/checks.ts';
import type { Services } from '../services.ts';
import {
  type AppealRow,
  appealInGuild,
  claimDecision,
  enderOf,
  findCase,
  recordDecision,
  releaseDecision,
} from './appeal-store.ts';

/** Best effort: Discord refuses a DM to a user who shares no server with the bot, or closed DMs. */
async function tellUser(services: Services, userId: string, notice: APIEmbed): Promise<boolean> {
  try {
    const channel = await openDirectMessage(services.discord, userId);
    await sendMessage(services.discord, channel.id, { embeds: [notice], allowed_mentions: { parse: [] } });
    return true;
  } catch {
    return false;
  }
}

const decidedText = (appeal: AppealRow) =>
  `Appeal ${shortAppealId(appeal.id)} was already ${appeal.state}${appeal.decidedBy ? ` by <@${appeal.decidedBy}>` : ''}; nothing was done.`;

async function decide(context: ComponentContext, accept: boolean, appealId: string): Promise<Reply> {
  const { services, interaction, waitUntil } = context;
  requireModeratorPermissions(interaction, ['BAN_MEMBERS'], 'decide ban appeals');
  const found = await appealInGuild(services.db, interaction.guild_id, appealId);
  if (!found)
    throw new CommandError('not_found', 'That appeal does not exist in this server; nothing was done.');
  if (found.state !== 'pending') throw new CommandError('forbidden', decidedText(found));
  const ban = await findCase(services.db, found.caseId);
  if (!ban) throw new CommandError('not_found', 'The ban of that appeal no longer exists; nothing was done.');
  // Lifted or expired meanwhile (an /unban, an Undo, its end): nothing to accept; Deny closes it.
  if (accept && ban.state !== 'active') {
    throw new CommandError(
      'forbidden',
      `The ban of appeal ${shortAppealId(found.id)} (case #${ban.caseNumber}) is no longer in force; nothing was done. Deny the appeal to close it.`,
    );
  }
  const moderatorId = interaction.member.user.id;
  const appeal = await claimDecision(
    services.db,
    appealId,
    accept ? 'accepted' : 'denied',
    moderatorId,
    services.now(),
  );
  if (!appeal) {
    const now = await appealInGuild(services.db, interaction.guild_id, appealId);
    throw new CommandError(
      'forbidden',
      now ? decidedText(now) : 'That appeal was already decided; nothing was done.',
    );
  }
  const guildName = (await services.guilds.get(ban.guildId).catch(() => null))?.name ?? 'the server';
  const short = shortAppealId(appeal.id);
  let unbanReply = '';
  if (accept) {
    try {
      const target = await resolveMember(services, ban.guildId, ban.userId);
      const reply = await commandHandlers.unban({
        services,
        interaction,
        options: givenOptions({
          user: { user: target },
          string: { reason: `Appeal accepted (appeal ${short})` },
        }),
        waitUntil,
        origin: { undoesCaseId: ban.id },
      });
      unbanReply = reply.content ?? '';
    } catch (error) {
      await releaseDecision(services.db, appeal.id);
      throw error;
    }
  }
  const dmDelivered = await tellUser(services, ban.userId, {
    title: accept ? `Your appeal in ${guildName} was accepted` : `Your appeal in ${guildName} was denied`,
    description: accept
      ? 'Your ban was lifted. You can join the server again.'
      : 'The moderators decided to keep your ban in place.',
    color: accept ? 0x57f287 : 0xed4245,
  });
  const unban = accept ? await enderOf(services.db, ban) : null;
  const event = await recordDecision(services.db, { appeal, ban, unban, dmDelivered }, services.now());
  waitUntil(publishEvents(services, [event]));
  const told = dmDelivered ? ' They were told by DM.' : ' I could not DM them (Discord refused).';
  return {
    content: accept
      ? `Appeal ${short} accepted. ${unbanReply}${told}`
      : `Appeal ${short} of <@${ban.userId}> denied.${told}`,
  };
}

/** `appeal:accept:<appeal id>` and `appeal:deny:<appeal id>`, from the mod-log line's buttons. */
export async function appealDecisionButtons(context: ComponentContext): Promise<APIInteractionResponse> {
  const { services, interaction, options } = context;
  const parsed = parseAppealCustomId(['appeal', ...context.args].join(':'));
  if (!parsed || (parsed.kind !== 'accept' && parsed.kind !== 'deny')) {
    throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
  }
  const label = `appeal ${parsed.kind}`;
  const work = decide(context, parsed.kind === 'accept', parsed.id).catch((error: unknown) =>
    failureReply(error, label, interaction, options.log),
  );
  return answerWithinBudget(services, interaction.token, label, work, options);
}
