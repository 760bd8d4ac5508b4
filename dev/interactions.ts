// Builds and signs interactions the way Discord sends them: slash commands (payload shape, resolved
// users and members, permissions), autocomplete (the focused option), context-menu commands (the
// target user or message resolved), modal submits (the fields as text inputs in action rows) and
// button or select clicks (MESSAGE_COMPONENT, with the message the component is on), each signed
// Ed25519 over timestamp + body. Plain WebCrypto, so it serves the workerd tests,
// the Node benchmarks and the local sandbox alike.

import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
  type APIUserApplicationCommandGuildInteraction,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import { snowflakeAt } from '../shared/snowflakes.ts';

export interface InteractionSpec {
  applicationId: string;
  guildId: string;
  channelId: string;
  name: string;
  options?: APIApplicationCommandInteractionDataOption[];
  invoker: { id: string; username: string; roles: string[]; permissions: bigint };
  appPermissions: bigint;
  /** Users to put in `data.resolved`; those with `roles` (not null) are members and get a member object. */
  resolve?: { id: string; username?: string; roles: string[] | null }[];
  id?: string;
  token?: string;
}

/** A snowflake-shaped id: the time since Discord's epoch, shifted, plus 22 random bits. */
export function randomSnowflake(): string {
  const [random] = crypto.getRandomValues(new Uint32Array(1));
  return snowflakeAt(Date.now(), BigInt((random as number) & 0x3fffff));
}

export interface MessageSpec {
  channelId: string;
  author: { id: string; username: string; global_name?: string | null };
  content?: string;
  id?: string;
  /** Set for a webhook's post (the relay's mod-log lines). */
  webhookId?: string;
  /** 20 for an interaction's reply, 0 for a plain message. */
  type?: number;
  /** 64 for an ephemeral reply. */
  flags?: number;
  attachments?: { filename: string }[];
  timestamp?: string;
}

/**
 * A message as Discord puts it in interaction payloads: the message a button is on (a mod-log line,
 * an ephemeral reply), a message command's target.
 */
export function buildMessage(spec: MessageSpec): APIMessage {
  return {
    id: spec.id ?? randomSnowflake(),
    channel_id: spec.channelId,
    author: {
      id: spec.author.id,
      username: spec.author.username,
      discriminator: '0',
      global_name: spec.author.global_name ?? null,
      avatar: null,
    },
    ...(spec.webhookId ? { webhook_id: spec.webhookId } : {}),
    content: spec.content ?? '',
    timestamp: spec.timestamp ?? new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: (spec.attachments ?? []).map(({ filename }) => ({
      id: randomSnowflake(),
      filename,
      size: 10,
      url: `https://cdn.discordapp.com/attachments/${spec.channelId}/${filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${spec.channelId}/${filename}`,
    })),
    embeds: [],
    pinned: false,
    type: spec.type ?? 0,
    ...(spec.flags !== undefined ? { flags: spec.flags } : {}),
  } as APIMessage;
}

/** The fields every interaction opens with, guild or DM: its id, application, token and version. */
export function interactionIdentity(spec: { applicationId: string; id?: string; token?: string }) {
  return {
    id: spec.id ?? randomSnowflake(),
    application_id: spec.applicationId,
    token: spec.token ?? `interaction.${randomSnowflake()}.${crypto.randomUUID()}`,
    version: 1,
  };
}

/** The user object Discord puts on an interaction (the member's user in a guild, `user` in a DM). */
export function interactionUser(user: { id: string; username: string }) {
  return { id: user.id, username: user.username, discriminator: '0', global_name: null, avatar: null };
}

/** What every guild interaction carries, whatever its type: ids, token, channel, locale, the member. */
function guildInteractionBase(spec: Omit<InteractionSpec, 'name' | 'options' | 'resolve'>) {
  return {
    ...interactionIdentity(spec),
    guild_id: spec.guildId,
    channel_id: spec.channelId,
    // Discord sends the channel the interaction happened in as a partial object too.
    channel: { id: spec.channelId, type: 0 },
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: String(spec.appPermissions),
    entitlements: [],
    authorizing_integration_owners: { '0': spec.guildId },
    context: 0,
    attachment_size_limit: 10_485_760,
    member: {
      user: interactionUser(spec.invoker),
      roles: spec.invoker.roles,
      permissions: String(spec.invoker.permissions),
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
  };
}

export interface ComponentInteractionSpec extends Omit<InteractionSpec, 'name' | 'options' | 'resolve'> {
  /** The message the button is on, as Discord has it (content, components, flags, interaction metadata). */
  message: APIMessage;
  customId: string;
  /** For a string select: the values chosen (component_type 3); absent for a button. */
  values?: string[];
}

/** A button click (component_type 2) or string select (3) as Discord sends it to the bot. */
export function buildComponentInteraction(
  spec: ComponentInteractionSpec,
): APIMessageComponentGuildInteraction {
  const data = spec.values
    ? { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values }
    : { custom_id: spec.customId, component_type: ComponentType.Button };
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.MessageComponent,
    message: spec.message,
    data,
  } as unknown as APIMessageComponentGuildInteraction;
}

/** The user and member objects Discord puts in `data.resolved` for the users named. */
function resolvedUsers(resolve: InteractionSpec['resolve']) {
  const users: Record<string, object> = {};
  const members: Record<string, object> = {};
  const now = new Date().toISOString();
  for (const { id, username, roles } of resolve ?? []) {
    users[id] = {
      id,
      username: username ?? `user${id.slice(-4)}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
    };
    if (roles !== null)
      members[id] = {
        roles,
        joined_at: now,
        permissions: '0',
        flags: 0,
        premium_since: null,
        pending: false,
      };
  }
  return { users, members };
}

/** The `data` every application command carries (a fresh command id, its name and kind) plus its own. */
function commandData<T extends object>(name: string, type: ApplicationCommandType, own: T) {
  return { id: randomSnowflake(), name, type, ...own };
}

/**
 * An autocomplete request (type 4): the command's options as typed so far, the one being typed
 * marked `focused` (its value a string whatever the option's type, as Discord sends it).
 */
export function buildAutocompleteInteraction(
  spec: InteractionSpec,
): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: commandData(spec.name, ApplicationCommandType.ChatInput, { options: spec.options ?? [] }),
  } as unknown as APIApplicationCommandAutocompleteGuildInteraction;
}

export interface UserCommandSpec extends Omit<InteractionSpec, 'options' | 'resolve'> {
  /** The member right-clicked; `roles: null` for a user who is not a member. */
  target: { id: string; username?: string; roles: string[] | null };
}

/** A user context-menu command (type 2, data.type 2): `target_id` with the user (and member) resolved. */
export function buildUserCommandInteraction(
  spec: UserCommandSpec,
): APIUserApplicationCommandGuildInteraction {
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ApplicationCommand,
    data: commandData(spec.name, ApplicationCommandType.User, {
      target_id: spec.target.id,
      resolved: resolvedUsers([spec.target]),
    }),
  } as unknown as APIUserApplicationCommandGuildInteraction;
}

export interface MessageCommandSpec extends Omit<InteractionSpec, 'options' | 'resolve'> {
  /** The message right-clicked, as Discord resolves it (author, content, attachments, timestamp). */
  message: APIMessage;
  /** The author's roles when they are a member (Discord then also resolves the member); null if not. */
  authorRoles: string[] | null;
}

/** A message context-menu command (data.type 3): `target_id` and the message in `resolved.messages`. */
export function buildMessageCommandInteraction(
  spec: MessageCommandSpec,
): APIMessageApplicationCommandGuildInteraction {
  const author = spec.message.author;
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ApplicationCommand,
    data: commandData(spec.name, ApplicationCommandType.Message, {
      target_id: spec.message.id,
      resolved: {
        messages: { [spec.message.id]: spec.message },
        ...resolvedUsers([{ id: author.id, username: author.username, roles: spec.authorRoles }]),
      },
    }),
  } as unknown as APIMessageApplicationCommandGuildInteraction;
}

export interface ModalSubmitSpec extends Omit<InteractionSpec, 'name' | 'options' | 'resolve'> {
  customId: string;
  /** Each text input's custom_id and value, in the modal's order. */
  fields: Record<string, string>;
  /** Set when the modal was opened from a button: the message the button is on. */
  message?: APIMessage;
}

/** A modal submit's data: every text input in its own action row, in the modal's order. */
export function modalSubmitData(customId: string, fields: Record<string, string>) {
  return {
    custom_id: customId,
    components: Object.entries(fields).map(([inputId, value]) => ({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.TextInput, custom_id: inputId, value }],
    })),
  };
}

/** A modal submit (type 5): every text input in its own action row, as Discord sends them. */
export function buildModalSubmitInteraction(spec: ModalSubmitSpec): APIModalSubmitGuildInteraction {
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ModalSubmit,
    ...(spec.message ? { message: spec.message } : {}),
    data: modalSubmitData(spec.customId, spec.fields),
  } as unknown as APIModalSubmitGuildInteraction;
}

export function buildCommandInteraction(
  spec: InteractionSpec,
): APIChatInputApplicationCommandGuildInteraction {
  const { users, members } = resolvedUsers(spec.resolve);
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ApplicationCommand,
    data: commandData(spec.name, ApplicationCommandType.ChatInput, {
      options: spec.options ?? [],
      resolved: { users, members },
    }),
  } as unknown as APIChatInputApplicationCommandGuildInteraction;
}

export function importSigningKey(pkcs8Base64: string): Promise<CryptoKey> {
  const bytes = Uint8Array.from(atob(pkcs8Base64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey('pkcs8', bytes, { name: 'Ed25519' }, false, ['sign']);
}

const toHex = (buffer: ArrayBuffer) =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The headers Discord sends with an interaction: Ed25519 signature over timestamp + body. */
export async function signatureHeaders(
  key: CryptoKey,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  const signature = await crypto.subtle.sign(
    'Ed25519',
    key,
    new TextEncoder().encode(String(timestamp) + body),
  );
  return { 'x-signature-ed25519': toHex(signature), 'x-signature-timestamp': String(timestamp) };
}
