// What every interaction that acts goes through: accepted once (seen.ts: a replay does nothing, and
// without the record — database down — neither does the original), and every failure turned into
// the moderator's ephemeral message in one place (errors.ts), logged unless it is a refusal.
import type { APIInteractionResponse } from 'discord-api-types/v10';
import { editOriginalResponse } from '../discord/api.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { CommandError, describeFailure } from './errors.ts';
import type { GuildInteraction } from './guild-interaction.ts';
import {
  deferredResponse,
  deferredUpdateResponse,
  followUpBody,
  type Reply,
  replyResponse,
  updateMessageResponse,
} from './respond.ts';
import { acceptInteractionOnce } from './seen.ts';

export interface InteractionOptions {
  /** Discord allows 3 s for the first response; work still running at this budget is deferred. */
  inlineBudgetMs: number;
  waitUntil(promise: Promise<unknown>): void;
  log(line: string): void;
}

async function acceptOnce(services: Services, interaction: GuildInteraction): Promise<void> {
  if (!(await acceptInteractionOnce(services.db, interaction.id))) {
    throw new CommandError('forbidden', 'This interaction was already handled; nothing was done again.');
  }
}

/**
 * The moderator's message for a failure; anything but a refusal is logged (without secrets).
 * `recordsCase`: the work records a case, so a Discord timeout's case is completed later (errors.ts).
 */
export function failureReply(
  error: unknown,
  label: string,
  interaction: GuildInteraction,
  log: (line: string) => void,
  recordsCase = false,
): Reply {
  if (!(error instanceof CommandError))
    log(`${label} in ${interaction.guild_id} failed: ${errorForLog(error)}`);
  return { content: describeFailure(error, recordsCase) };
}

/** Runs work that ends in a reply (a command, a modal submit), once. */
export async function runOnce(
  services: Services,
  interaction: GuildInteraction,
  label: string,
  log: InteractionOptions['log'],
  work: () => Promise<Reply>,
  recordsCase = false,
): Promise<Reply> {
  try {
    await acceptOnce(services, interaction);
    return await work();
  } catch (error) {
    return failureReply(error, label, interaction, log, recordsCase);
  }
}

/**
 * Runs work that answers with a response of its own choosing (a modal, a message update), once; a
 * failure is a new ephemeral message, leaving any message the interaction came from as it is.
 */
export async function respondOnce(
  services: Services,
  interaction: GuildInteraction,
  label: string,
  log: InteractionOptions['log'],
  work: () => Promise<APIInteractionResponse>,
): Promise<APIInteractionResponse> {
  try {
    await acceptOnce(services, interaction);
    return await work();
  } catch (error) {
    return replyResponse(failureReply(error, label, interaction, log));
  }
}

/**
 * Answers with the reply if it is ready within the budget, else defers and edits @original later.
 * `update`: the reply replaces the message the component is on (type 7, deferred as type 6).
 */
export async function answerWithinBudget(
  services: Services,
  token: string,
  label: string,
  work: Promise<Reply>,
  options: InteractionOptions,
  mode: 'reply' | 'update' = 'reply',
): Promise<APIInteractionResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.inlineBudgetMs);
  });
  const early = await Promise.race([work, budget]);
  clearTimeout(timer);
  if (early) return mode === 'update' ? updateMessageResponse(early) : replyResponse(early);
  options.waitUntil(
    work.then((reply) =>
      editOriginalResponse(services.discord, services.applicationId, token, followUpBody(reply, mode)).catch(
        (error) => options.log(`could not edit the deferred reply for ${label}: ${errorForLog(error)}`),
      ),
    ),
  );
  return mode === 'update' ? deferredUpdateResponse : deferredResponse;
}
