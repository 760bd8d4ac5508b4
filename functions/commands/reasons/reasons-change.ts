// Saving and removing a saved reason — `/reasons add|remove` and the dashboard's settings forms both
// run these: the name and text checked (moderation/saved-reasons.ts savedNameProblem,
// savedTextProblem), the change and its `audit:logged` event in one batch, publishing after the
// answer. Refusals are CommandErrors with the words /reasons has always used.
import { MAX_SAVED_REASONS } from '../../../shared/commands/limits.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import {
  removeReason,
  type SavedReason,
  savedNameProblem,
  savedTextProblem,
  saveReason,
} from '../../moderation/saved-reasons.ts';
import { type ChangeActor, viaDetails } from '../change-actor.ts';

export type ReasonSaved = { outcome: 'saved' | 'replaced' | 'unchanged'; name: string; text: string };

/** `name` and `text` as given (options, form fields); trimmed and checked here. */
export async function saveReasonAs(
  actor: ChangeActor,
  given: { name: string | null; text: string | null },
): Promise<ReasonSaved> {
  const name = given.name?.trim() ?? '';
  const nameProblem = savedNameProblem(name);
  if (nameProblem) throw new CommandError('invalid_option', nameProblem);
  const text = given.text?.trim() ?? '';
  const textProblem = savedTextProblem(text);
  if (textProblem) throw new CommandError('invalid_option', textProblem);
  const { services } = actor;
  const saved = await saveReason(
    services.db,
    { guildId: actor.guildId, name, text, moderatorId: actor.moderator.id, details: viaDetails(actor) },
    services.now(),
  );
  switch (saved.outcome) {
    case 'full':
      throw new CommandError(
        'forbidden',
        `This server already has ${MAX_SAVED_REASONS} saved reasons, the most it can keep. Remove one with /reasons remove first.`,
      );
    case 'unchanged':
      return { outcome: 'unchanged', name, text };
    case 'replaced':
    case 'saved':
      actor.waitUntil(publishEvents(services, [saved.event]));
      return { outcome: saved.outcome, name, text };
  }
}

export async function removeReasonAs(actor: ChangeActor, given: string | null): Promise<SavedReason> {
  // Any name that is saved can be removed; one that fails the rules cannot be saved, so say so.
  const name = given?.trim() ?? '';
  if (savedNameProblem(name)) throw new CommandError('not_found', 'There is no saved reason by that name.');
  const { services } = actor;
  const result = await removeReason(
    services.db,
    { guildId: actor.guildId, name, moderatorId: actor.moderator.id, details: viaDetails(actor) },
    services.now(),
  );
  if (!result) throw new CommandError('not_found', `There is no saved reason \`${name}\`.`);
  actor.waitUntil(publishEvents(services, [result.event]));
  return result.removed;
}
