// Edits a moderator's reply after the invocation that answered, through the interaction token kept
// with the work (a lockdown, a massban): valid for 15 minutes and a secret, never logged. Best
// effort: a token that has expired is not used, and a failed edit never stops the work.
import type { RESTPatchAPIInteractionOriginalResponseJSONBody } from 'discord-api-types/v10';
import { editOriginalResponse } from '../discord/api.ts';
import { errorForLog } from '../log.ts';
import type { Services } from '../services.ts';
import { noMentions } from './respond.ts';

export interface StoredReply {
  replyToken: string | null;
  replyTokenExpiresAt: Date | null;
}

/** Edits the reply with `body` (mentions always suppressed); `what` names the work in the log. */
export async function editStoredReply(
  services: Services,
  reply: StoredReply,
  body: RESTPatchAPIInteractionOriginalResponseJSONBody,
  what: string,
): Promise<void> {
  const { replyToken, replyTokenExpiresAt } = reply;
  if (!replyToken || !replyTokenExpiresAt || replyTokenExpiresAt.getTime() <= Date.now()) return;
  await editOriginalResponse(services.discord, services.applicationId, replyToken, {
    ...body,
    allowed_mentions: noMentions,
  }).catch((error: unknown) => {
    console.error(`${what}: could not edit the moderator's reply: ${errorForLog(error)}`);
  });
}
