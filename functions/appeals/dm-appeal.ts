// The banned user's side of an appeal, in their DM with the bot (no guild, no member: `user`). The
// Appeal button on the ban DM opens a modal; its submit records the appeal and its mod-log event.
// Both steps check everything again, trusting nothing in the custom_id: the case exists, is a ban
// still in force, and is the presser's own; the ban has no appeal yet; the user is within the limit.
import type {
  APIInteractionResponse,
  APIMessageComponentDMInteraction,
  APIModalSubmitDMInteraction,
} from 'discord-api-types/v10';
import { InteractionType } from 'discord-api-types/v10';
import {
  APPEAL_TEXT_FIELD,
  APPEAL_TEXT_MAX,
  appealCustomId,
  parseAppealCustomId,
} from '../../shared/appeal-components.ts';
import { publishEvents } from '../events/publish.ts';
import { CommandError, describeFailure } from '../interactions/errors.ts';
import { replyResponse } from '../interactions/respond.ts';
import type { InteractionOptions } from '../interactions/run-once.ts';
import { acceptInteractionOnce } from '../interactions/seen.ts';
import { errorForLog } from '../log.ts';
import { modalResponse, readModalFields } from '../modals/modal.ts';
import type { CaseRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';
import {
  APPEAL_WINDOW_MS,
  appealOfCase,
  findCase,
  MAX_APPEALS_PER_WINDOW,
  recentAppealCount,
  recordAppeal,
} from './appeal-store.ts';

export type DmAppealInteraction = APIMessageComponentDMInteraction | APIModalSubmitDMInteraction;

/** A DM interaction this module answers: a button or modal whose custom_id is an appeal's. */
export function isDmAppeal(interaction: { type: InteractionType; data?: unknown }): boolean {
  if (
    interaction.type !== InteractionType.MessageComponent &&
    interaction.type !== InteractionType.ModalSubmit
  )
    return false;
  const customId = (interaction.data as { custom_id?: unknown } | undefined)?.custom_id;
  return typeof customId === 'string' && customId.split(':')[0] === 'appeal';
}

const rateLimitText = `You can send at most ${MAX_APPEALS_PER_WINDOW} appeals in ${APPEAL_WINDOW_MS / 3_600_000} hours; try again later.`;

/** The ban the user may appeal: theirs, a ban, in force, not removed, not appealed yet. */
async function appealableBan(services: Services, caseId: string, userId: string): Promise<CaseRow> {
  const ban = await findCase(services.db, caseId);
  // Someone else's case, or none: the same words, which tell a forger nothing.
  if (!ban || ban.userId !== userId || ban.action !== 'ban' || ban.deletedAt) {
    throw new CommandError('not_found', 'I found no ban of yours to appeal.');
  }
  if (ban.state !== 'active')
    throw new CommandError('forbidden', 'That ban is no longer in force; there is nothing to appeal.');
  if (await appealOfCase(services.db, ban.id)) {
    throw new CommandError('forbidden', 'You already appealed this ban; the moderators will decide once.');
  }
  if ((await recentAppealCount(services.db, userId, services.now())) >= MAX_APPEALS_PER_WINDOW) {
    throw new CommandError('forbidden', rateLimitText);
  }
  return ban;
}

async function serverName(services: Services, guildId: string): Promise<string> {
  try {
    return (await services.guilds.get(guildId)).name;
  } catch {
    return 'the server';
  }
}

async function answer(
  services: Services,
  interaction: DmAppealInteraction,
  options: InteractionOptions,
): Promise<APIInteractionResponse> {
  const parsed = parseAppealCustomId(String(interaction.data.custom_id));
  const userId = interaction.user.id;
  if (parsed?.kind === 'open' && interaction.type === InteractionType.MessageComponent) {
    const ban = await appealableBan(services, parsed.id, userId);
    return modalResponse(appealCustomId('submit', ban.id), 'Appeal your ban', [
      {
        customId: APPEAL_TEXT_FIELD,
        label: 'Why should the ban be lifted?',
        style: 'paragraph',
        required: true,
        maxLength: APPEAL_TEXT_MAX,
      },
    ]);
  }
  if (parsed?.kind === 'submit' && interaction.type === InteractionType.ModalSubmit) {
    const text = (readModalFields(interaction.data)[APPEAL_TEXT_FIELD] ?? '').trim();
    if (!text) throw new CommandError('invalid_option', 'Say why the ban should be lifted.');
    if (text.length > APPEAL_TEXT_MAX)
      throw new CommandError('invalid_option', `An appeal is at most ${APPEAL_TEXT_MAX} characters.`);
    const ban = await appealableBan(services, parsed.id, userId);
    const recorded = await recordAppeal(services.db, ban, text, services.now());
    // Lost a race with a second submit, or with other appeals of the user's.
    if (recorded.outcome === 'duplicate')
      throw new CommandError('forbidden', 'You already appealed this ban; the moderators will decide once.');
    if (recorded.outcome === 'rate_limited') throw new CommandError('forbidden', rateLimitText);
    options.waitUntil(publishEvents(services, [recorded.event]));
    return replyResponse({
      content: `Your appeal was sent to the moderators of ${await serverName(services, ban.guildId)}.`,
    });
  }
  throw new CommandError('invalid_option', 'That button is not one of mine; nothing was done.');
}

/** Answers an appeal's button or modal in a DM: accepted once, every refusal an ephemeral reply. */
export async function handleDmAppeal(
  services: Services,
  interaction: DmAppealInteraction,
  options: InteractionOptions,
): Promise<APIInteractionResponse> {
  try {
    if (!(await acceptInteractionOnce(services.db, interaction.id))) {
      throw new CommandError('forbidden', 'This interaction was already handled; nothing was done again.');
    }
    return await answer(services, interaction, options);
  } catch (error) {
    if (!(error instanceof CommandError)) options.log(`an appeal in a DM failed: ${errorForLog(error)}`);
    return replyResponse({ content: describeFailure(error) });
  }
}
