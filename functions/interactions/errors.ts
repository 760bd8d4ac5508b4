// The one place where failures become what the moderator reads. Each layer throws its own error
// type (CommandError here, DiscordApiError from the REST client, database and Redis errors from their
// drivers); `describeFailure` turns any of them into a short, specific, secret-free message.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { DiscordApiError } from '../discord/rest.ts';

/**
 * What kind of refusal: bad input, not allowed, nothing there, already done by someone else (a
 * decided appeal), or not possible right now (a race lost, Discord busy: try again).
 */
export type CommandErrorKind = 'invalid_option' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable';

/** A refusal or invalid input detected before anything was changed; the message is shown as is. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly kind: CommandErrorKind;
  constructor(kind: CommandErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

/** What a Discord error means for the moderator, by Discord's JSON error code. */
const discordCodeMessages: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.UnknownChannel]: 'That channel no longer exists.',
  [RESTJSONErrorCodes.UnknownGuild]: 'Discord does not know this server any more.',
  [RESTJSONErrorCodes.UnknownMember]: 'That user is not a member of this server.',
  [RESTJSONErrorCodes.UnknownUser]: 'Discord does not know that user.',
  [RESTJSONErrorCodes.UnknownWebhook]: 'That webhook no longer exists.',
  [RESTJSONErrorCodes.UnknownBan]: 'That user is not banned.',
  [RESTJSONErrorCodes.MaximumNumberOfWebhooksReached]:
    'That channel already has the maximum number of webhooks (15).',
  [RESTJSONErrorCodes.MissingAccess]: 'I cannot see that channel.',
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser]: 'That member does not accept direct messages.',
  [RESTJSONErrorCodes.MissingPermissions]:
    "Discord refused: I am missing a permission there, or the member's highest role is above mine. Move my role higher or check the channel permissions.",
  [RESTJSONErrorCodes.InvalidWebhookToken]: 'That webhook link is invalid (wrong token).',
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: 'Discord rejected the request as invalid.',
  [RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete]:
    'Discord refused: one of the messages is older than 14 days, so none was deleted. Try again.',
};

/**
 * What a Discord error means for the moderator. `recordsCase`: the failed work records a case (a
 * moderation action), which the reconciler completes when Discord carried it out after all — only
 * then may the message promise that; otherwise (a slowmode, a raid mode, a lockdown) it says to look.
 */
export function describeDiscordError(error: DiscordApiError, recordsCase = false): string {
  if (error.kind === 'timeout') {
    return recordsCase
      ? 'Discord did not answer in time. If the action went through, its case will be recorded automatically within a few minutes.'
      : 'Discord did not answer in time. It may still have gone through: check before trying again.';
  }
  if (error.kind === 'network') return 'I could not reach Discord. Nothing was changed; try again shortly.';
  if (error.status === 429) {
    const wait = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1));
    return `Discord is rate limiting me. Try again in ${wait} second${wait === 1 ? '' : 's'}.`;
  }
  if (error.status >= 500) {
    return recordsCase
      ? `Discord had an internal error (HTTP ${error.status}). If the action went through, its case will be recorded automatically; otherwise try again shortly.`
      : `Discord had an internal error (HTTP ${error.status}). It may still have gone through: check before trying again shortly.`;
  }
  return (
    discordCodeMessages[error.code] ??
    `Discord refused the request (HTTP ${error.status}, code ${error.code}).`
  );
}

/** The moderator's message for any failure; `recordsCase` as for describeDiscordError. */
export function describeFailure(error: unknown, recordsCase = false): string {
  if (error instanceof CommandError) return error.message;
  if (error instanceof DiscordApiError) return describeDiscordError(error, recordsCase);
  // Database and Redis driver errors: their text can carry hosts or SQL, never shown to moderators.
  return 'Something went wrong on our side and nothing was changed. Please try again in a moment.';
}
