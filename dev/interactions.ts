// Builds and signs slash-command interactions the way Discord sends them (payload shape, resolved
// users and members, permissions, Ed25519 over timestamp + body). Plain WebCrypto, so it serves the
// workerd tests, the Node benchmarks and the local sandbox alike.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  ApplicationCommandType,
  InteractionType,
} from 'discord-api-types/v10';

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
  return String(((BigInt(Date.now()) - 1420070400000n) << 22n) + BigInt((random as number) & 0x3fffff));
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
    id: spec.id ?? randomSnowflake(),
    application_id: spec.applicationId,
    type: InteractionType.ApplicationCommand,
    token: spec.token ?? `interaction.${randomSnowflake()}.${crypto.randomUUID()}`,
    version: 1,
    guild_id: spec.guildId,
    channel_id: spec.channelId,
    // Discord sends the channel the command was used in as a partial object too.
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
      joined_at: now,
      deaf: false,
      mute: false,
      flags: 0,
    },
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
