// A user's DM with the bot on the sandbox page, and acting in it as that user: the DM as the
// stand-in keeps it (the ban notice with its Appeal button), a button in it clicked — a
// MESSAGE_COMPONENT from the DM (context BOT_DM, `user` instead of a member: dev/dm-interactions.ts)
// on the message as the stand-in has it, refused as Discord's client refuses a button the message
// does not have — and the modal the bot opened submitted, only by the user it was opened for, its
// values checked as Discord's client checks them. Answers are shaped as for guild interactions
// (answers.ts): type 4 the bot's reply, type 9 a modal, anything else "This interaction failed".
import { type APIMessage, InteractionType } from 'discord-api-types/v10';
import type { SandboxMessage } from '../discord/server.ts';
import { buildDmComponentInteraction, buildDmModalSubmitInteraction } from '../dm-interactions.ts';
import { type ShapedOutcome, shapeAnswer } from './answers.ts';
import { checkComponent } from './clicks.ts';
import { CommandInputError } from './command-options.ts';
import { checkedModalFields } from './modal-submit.ts';
import type { WorkerLink } from './worker-link.ts';

export interface DirectMessages {
  channelId: string | null;
  messages: SandboxMessage[];
}

export interface DmClickRequest {
  userId: string;
  messageId: string;
  customId: string;
}

export interface DmModalRequest {
  userId: string;
  /** The token of the click the modal answered. */
  token: string;
  values: Record<string, string>;
}

const SNOWFLAKE = /^\d{17,20}$/;
const CONTROL_TIMEOUT_MS = 10_000;

/** The user's DM channel with the bot and its messages (none before the bot first wrote). */
export async function directMessages(controlUrl: string, userId: string): Promise<DirectMessages> {
  if (!SNOWFLAKE.test(userId)) throw new CommandInputError('name a user by id');
  const response = await fetch(`${controlUrl}/users/${userId}/dm`, {
    signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the stand-in answered ${response.status}`);
  const dm = (await response.json()) as { channel: { id: string } | null; messages: SandboxMessage[] };
  return { channelId: dm.channel?.id ?? null, messages: dm.messages };
}

/** Who the user is, as Discord puts them in `user` (the guild's members, its bans, the outsiders). */
async function userNamed(link: WorkerLink, userId: string, outsiders: { id: string; username: string }[]) {
  const guild = await link.guildState();
  const known = [...guild.members.map((m) => m.user), ...guild.bans.map((b) => b.user), ...outsiders].find(
    (u) => u?.id === userId,
  );
  if (!known) throw new CommandInputError('The sandbox does not know that user.');
  return { guild, user: { id: known.id, username: known.username } };
}

export async function runDmClick(
  link: WorkerLink,
  setup: { applicationId: string; controlUrl: string; outsiders: { id: string; username: string }[] },
  request: DmClickRequest,
): Promise<ShapedOutcome> {
  if (typeof request.customId !== 'string' || typeof request.messageId !== 'string')
    throw new CommandInputError('send {userId, messageId, customId}');
  const dm = await directMessages(setup.controlUrl, String(request.userId));
  const message = dm.messages.find((m) => m.id === request.messageId) as APIMessage | undefined;
  if (!dm.channelId || !message) throw new CommandInputError('There is no such message in their DMs.');
  checkComponent(message, request.customId, undefined);
  const { guild, user } = await userNamed(link, request.userId, setup.outsiders);
  const interaction = buildDmComponentInteraction({
    applicationId: setup.applicationId,
    channelId: dm.channelId,
    user,
    message,
    customId: request.customId,
  });
  const trigger = {
    id: interaction.id,
    type: InteractionType.MessageComponent,
    user,
    authorizing_integration_owners: { '0': '0' },
    interacted_message_id: message.id,
  } as unknown as NonNullable<APIMessage['interaction_metadata']>;
  const outcome = shapeAnswer(await link.send(interaction), {
    kind: 'component',
    applicationId: setup.applicationId,
    channelId: dm.channelId,
    guild,
    metadata: trigger,
    source: message,
  });
  if (outcome.modal)
    link.rememberModal(interaction.token, {
      modal: outcome.modal,
      channelId: dm.channelId,
      invokerId: user.id,
      message,
      trigger,
    });
  return outcome;
}

export async function runDmModalSubmit(
  link: WorkerLink,
  setup: { applicationId: string; outsiders: { id: string; username: string }[] },
  request: DmModalRequest,
): Promise<ShapedOutcome> {
  // In a DM the user must be named: a submit without one is refused, not taken as the opener's.
  const { open, fields } = checkedModalFields(
    link,
    request.token,
    request.userId ?? '',
    request.values,
    'user',
  );
  const { guild, user } = await userNamed(link, open.invokerId, setup.outsiders);
  const interaction = buildDmModalSubmitInteraction({
    applicationId: setup.applicationId,
    channelId: open.channelId,
    user,
    customId: open.modal.custom_id,
    fields,
    ...(open.message ? { message: open.message } : {}),
  });
  const outcome = shapeAnswer(await link.send(interaction), {
    kind: 'modal-from-component',
    applicationId: setup.applicationId,
    channelId: open.channelId,
    guild,
    ...(open.message ? { source: open.message } : {}),
  });
  if (!outcome.failed) link.forgetModal(request.token);
  return outcome;
}
