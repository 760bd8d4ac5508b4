// Deciding a ban appeal, the one way both places do it: the Accept and Deny buttons under the
// appeal's mod-log line (here) and the dashboard's appeals queue (dashboard/pages/appeals-routes.ts).
// Only a moderator with Ban Members in the appeal's own server decides, and only once: the decision
// is taken by a conditional UPDATE (appeal-store.ts claimDecision), so two Accepts unban once.
// Accept runs /unban's own handler as a mod-log Undo of the ban (the undo claim: exactly that case,
// once); an unban refused puts the appeal back to pending. Either way the user is told by DM, best
// effort (a banned user often shares no server with the bot), and the decision's audit line, which
// says whether the DM arrived, edits the appeal's line (the relay: its buttons go).
import type { APIEmbed, APIInteractionResponse } from 'discord-api-types/v10';
import { parseAppealCustomId, shortAppealId } from '../../shared/appeal-components.ts';
import { unban } from '../commands/moderation/unban.ts';
import type { ComponentContext } from '../components/registry.ts';
import { openDirectMessage, sendMessage } from '../discord/api.ts';
import { publishEvents } from '../events/publish.ts';
import { CommandError } from '../interactions/errors.ts';
import { givenOptions } from '../interactions/options.ts';
import type { Reply } from '../interactions/respond.ts';
import { answerWithinBudget, failureReply } from '../interactions/run-once.ts';
import type { CaseRow } from '../moderation/cases.ts';
import { type ActingModerator, requireModeratorPermissions, resolveMember } from '../moderation/checks.ts';
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

/** What a decision is asked with, wherever it comes from; the appeal id is checked, not trusted. */
export interface DecisionRequest {
  services: Services;
  appealId: string;
  accept: boolean;
  /** The deciding moderator in the appeal's server (`guild_id`): their permissions and roles there. */
  moderator: ActingModerator;
  /** Work that may finish after the answer (publishing events). */
  waitUntil(promise: Promise<unknown>): void;
}

export interface DecisionResult {
  appeal: AppealRow;
  ban: CaseRow;
  /** Accepted: the unban's own confirmation, as /unban words it. */
  unbanSummary: string;
  dmDelivered: boolean;
}

/** The appeal cannot be decided as asked now: decided already, or its ban is no longer in force. */
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

/** How a decided appeal is refused, naming who decided it (a mention; the dashboard shows the id). */
export const decidedText = (appeal: Pick<AppealRow, 'id' | 'state' | 'decidedBy'>) =>
  `Appeal ${shortAppealId(appeal.id)} was already ${appeal.state}${appeal.decidedBy ? ` by <@${appeal.decidedBy}>` : ''}; nothing was done.`;

/** Decides the appeal once, or throws a CommandError (`conflict` when it is decided or its ban ended). */
export async function decideAppeal(request: DecisionRequest): Promise<DecisionResult> {
  const { services, appealId, accept, moderator, waitUntil } = request;
  const guildId = moderator.guild_id;
  requireModeratorPermissions(moderator, ['BAN_MEMBERS'], 'decide ban appeals');
  const found = await appealInGuild(services.db, guildId, appealId);
  if (!found)
    throw new CommandError('not_found', 'That appeal does not exist in this server; nothing was done.');
  if (found.state !== 'pending') throw new CommandError('conflict', decidedText(found));
  const ban = await findCase(services.db, found.caseId);
  if (!ban) throw new CommandError('not_found', 'The ban of that appeal no longer exists; nothing was done.');
  // Lifted or expired meanwhile (an /unban, an Undo, its end): nothing to accept; Deny closes it.
  if (accept && ban.state !== 'active') {
    throw new CommandError(
      'conflict',
      `The ban of appeal ${shortAppealId(found.id)} (case #${ban.caseNumber}) is no longer in force; nothing was done. Deny the appeal to close it.`,
    );
  }
  const appeal = await claimDecision(
    services.db,
    found.id,
    accept ? 'accepted' : 'denied',
    moderator.member.user.id,
    services.now(),
  );
  if (!appeal) {
    const now = await appealInGuild(services.db, guildId, found.id);
    throw new CommandError(
      'conflict',
      now ? decidedText(now) : 'That appeal was already decided; nothing was done.',
    );
  }
  const guildName = (await services.guilds.get(ban.guildId).catch(() => null))?.name ?? 'the server';
  let unbanSummary = '';
  if (accept) {
    try {
      const target = await resolveMember(services, ban.guildId, ban.userId);
      const reply = await unban({
        services,
        interaction: moderator,
        options: givenOptions({
          user: { user: target },
          string: { reason: `Appeal accepted (appeal ${shortAppealId(appeal.id)})` },
        }),
        waitUntil,
        origin: { undoesCaseId: ban.id },
      });
      unbanSummary = reply.content ?? '';
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
  const unbanCase = accept ? await enderOf(services.db, ban) : null;
  const event = await recordDecision(
    services.db,
    { appeal, ban, unban: unbanCase, dmDelivered },
    services.now(),
  );
  waitUntil(publishEvents(services, [event]));
  return { appeal, ban, unbanSummary, dmDelivered };
}

async function decideFromButton(
  context: ComponentContext,
  accept: boolean,
  appealId: string,
): Promise<Reply> {
  const { services, interaction, waitUntil } = context;
  const { appeal, ban, unbanSummary, dmDelivered } = await decideAppeal({
    services,
    appealId,
    accept,
    moderator: interaction,
    waitUntil,
  });
  const short = shortAppealId(appeal.id);
  const told = dmDelivered ? ' They were told by DM.' : ' I could not DM them (Discord refused).';
  return {
    content: accept
      ? `Appeal ${short} accepted. ${unbanSummary}${told}`
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
  const work = decideFromButton(context, parsed.kind === 'accept', parsed.id).catch((error: unknown) =>
    failureReply(error, label, interaction, options.log),
  );
  return answerWithinBudget(services, interaction.token, label, work, options);
}
