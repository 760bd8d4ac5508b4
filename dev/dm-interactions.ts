// Interactions from a user's DM with the bot (context BOT_DM, 1), as Discord sends them: no guild_id
// and no member, `user` instead, the DM channel as a partial object (type 1), and the guild-install
// owner "0" (Discord's value for a guild-installed app used in the bot's DM). A banned user's Appeal
// button and the modal it opens arrive this way. Signed like the others (dev/interactions.ts).
import {
  type APIMessage,
  type APIMessageComponentDMInteraction,
  type APIModalSubmitDMInteraction,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import { interactionIdentity, interactionUser, modalSubmitData } from './interactions.ts';

export interface DmInteractionSpec {
  applicationId: string;
  /** The DM channel between the user and the bot. */
  channelId: string;
  user: { id: string; username: string };
  id?: string;
  token?: string;
}

function dmInteractionBase(spec: DmInteractionSpec) {
  return {
    ...interactionIdentity(spec),
    channel_id: spec.channelId,
    channel: { id: spec.channelId, type: 1 },
    locale: 'en-US',
    // In a DM the bot's permissions are those Discord grants in DMs; nothing here depends on them.
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': '0' },
    context: 1,
    attachment_size_limit: 10_485_760,
    user: interactionUser(spec.user),
  };
}

/** A button click in the DM (component_type 2), on the message the button is on. */
export function buildDmComponentInteraction(
  spec: DmInteractionSpec & { message: APIMessage; customId: string },
): APIMessageComponentDMInteraction {
  return {
    ...dmInteractionBase(spec),
    type: InteractionType.MessageComponent,
    message: spec.message,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
  } as unknown as APIMessageComponentDMInteraction;
}

/** A modal submitted in the DM (type 5): each text input in its own action row. */
export function buildDmModalSubmitInteraction(
  spec: DmInteractionSpec & { customId: string; fields: Record<string, string>; message?: APIMessage },
): APIModalSubmitDMInteraction {
  return {
    ...dmInteractionBase(spec),
    type: InteractionType.ModalSubmit,
    ...(spec.message ? { message: spec.message } : {}),
    data: modalSubmitData(spec.customId, spec.fields),
  } as unknown as APIModalSubmitDMInteraction;
}
