// Builds and signs interactions the way Discord sends them: slash commands (payload shape, resolved
// users and members, permissions) and button clicks (MESSAGE_COMPONENT, with the message the button
// is on), each signed Ed25519 over timestamp + body. Plain WebCrypto, so it serves the workerd tests,
// the Node benchmarks and the local sandbox alike.

import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
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

/** What every guild interaction carries, whatever its type: ids, token, channel, locale, the member. */
function guildInteractionBase(spec: Omit<InteractionSpec, 'name' | 'options' | 'resolve'>) {
  return {
    id: spec.id ?? randomSnowflake(),
    application_id: spec.applicationId,
    token: spec.token ?? `interaction.${randomSnowflake()}.${crypto.randomUUID()}`,
    version: 1,
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
      user: {
        id: spec.invoker.id,
        username: spec.invoker.username,
        discriminator: '0',
        global_name: null,
        avatar: null,
      },
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
}

/** A button click (MESSAGE_COMPONENT, component_type 2) as Discord sends it to the bot. */
export function buildComponentInteraction(
  spec: ComponentInteractionSpec,
): APIMessageComponentGuildInteraction {
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.MessageComponent,
    message: spec.message,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
  } as unknown as APIMessageComponentGuildInteraction;
}

export function buildCommandInteraction(
  spec: InteractionSpec,
): APIChatInputApplicationCommandGuildInteraction {
  const users: Record<string, object> = {};
  const members: Record<string, object> = {};
  const now = new Date().toISOString();
  for (const { id, username, roles } of spec.resolve ?? []) {
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
  return {
    ...guildInteractionBase(spec),
    type: InteractionType.ApplicationCommand,
    data: {
      id: randomSnowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      options: spec.options ?? [],
      resolved: { users, members },
    },
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
