// /massban against the Discord stand-in, the real Postgres and Redis, and the Worker in workerd: the
// preview and its skips, the Confirm and Cancel buttons (who may click, once, in time, tampering),
// the exact bulk-ban requests, consecutive cases with one batch id and their events, failures,
// temporary bans lifted by the scheduler, and a database failure after Discord banned a chunk.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  ComponentType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { massbans } from '../../db/schema.ts';
import { randomSnowflake } from '../../dev/interactions.ts';
import {
  ALL_MOD_PERMISSIONS,
  appId,
  asBot,
  type CommandResult,
  callWorker,
  casesOf,
  commandInteraction,
  discordGuildState,
  discordRequests,
  injectDatabaseFault,
  injectDiscordFault,
  outboxOf,
  putGuild,
  runCommand,
  runTick,
  seedUser,
  signedRequest,
  streamEventsOf,
  stringOption,
  type TestGuild,
  testConfig,
  testDatabase,
  userOption,
} from '../support/edge.ts';

type Option = APIApplicationCommandInteractionDataOption;
const MINUTE = 60_000;

interface MassbanGuild extends TestGuild {
  /** Users Discord knows who are not in the server (pre-emptive bans). */
  knownIds: string[];
  /** A user who was banned before the massban. */
  bannedId: string;
}

/** `n` different snowflakes (random ones made in the same millisecond can collide). */
function distinctIds(n: number): string[] {
  const ids = new Set<string>();
  while (ids.size < n) ids.add(randomSnowflake());
  return [...ids];
}

/** A fresh guild: owner, moderator, a member, a senior member, `known` users outside it, one banned. */
async function seedMassbanGuild(known = 0): Promise<MassbanGuild> {
  // Every id of the guild different from the others.
  const pool = distinctIds(known + 13);
  const id = () => pool.pop() as string;
  const g = {
    guildId: id(),
    ownerId: id(),
    moderatorId: id(),
    targetId: id(),
    seniorId: id(),
    outsiderId: id(),
    closedDmsId: id(),
    channelId: id(),
    bannedId: id(),
    knownIds: pool.splice(0, known),
    roles: { mod: id(), senior: id(), member: id(), bot: id() },
  } satisfies MassbanGuild;
  const user = seedUser;
  await putGuild(g.guildId, {
    name: 'Raid Server',
    ownerId: g.ownerId,
    roles: [
      { id: g.roles.member, name: 'member', position: 1, permissions: '0' },
      { id: g.roles.mod, name: 'mod', position: 5, permissions: String(ALL_MOD_PERMISSIONS) },
      { id: g.roles.senior, name: 'senior', position: 7, permissions: String(ALL_MOD_PERMISSIONS) },
      {
        id: g.roles.bot,
        name: 'Lockdown',
        position: 9,
        permissions: String(ALL_MOD_PERMISSIONS | PermissionFlagsBits.ViewAuditLog),
      },
    ],
    members: [
      { user: user(g.ownerId, 'owner'), roles: [] },
      { user: user(g.moderatorId, 'moderator'), roles: [g.roles.mod] },
      { user: user(g.targetId, 'target'), roles: [g.roles.member] },
      { user: user(g.seniorId, 'senior'), roles: [g.roles.senior] },
    ],
    users: [
      user(g.outsiderId, 'outsider'),
      user(g.bannedId, 'banned'),
      ...g.knownIds.map((uid, i) => user(uid, `raider-${i}`)),
    ],
    channels: [{ id: g.channelId, name: 'general', type: 0 }],
    botRoleIds: [g.roles.bot],
  });
  await ban(g, g.bannedId);
  return g;
}

/** Bans as the bot would outside the massban (someone else's ban). */
async function ban(g: TestGuild, userId: string): Promise<void> {
  const response = await asBot('PUT', `/guilds/${g.guildId}/bans/${userId}`, {});
  if (!response.ok) throw new Error(`ban failed: ${response.status}`);
}

/** A file uploaded to the stand-in, as Discord resolves an attachment option. */
async function upload(text: string): Promise<APIAttachment> {
  const response = await fetch(`${testConfig().discordControlUrl}/attachments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filename: 'ids.txt', text }),
  });
  if (!response.ok) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return response.json();
}

interface MassbanSpec {
  users?: string;
  file?: APIAttachment;
  duration?: string;
  deleteMessages?: string;
  reason?: string;
  invokerId?: string;
}

async function runMassban(g: TestGuild, spec: MassbanSpec): Promise<CommandResult> {
  const options: Option[] = [stringOption('reason', spec.reason ?? 'raid')];
  if (spec.users !== undefined) options.push(stringOption('users', spec.users));
  if (spec.duration) options.push(stringOption('duration', spec.duration));
  if (spec.deleteMessages) options.push(stringOption('delete_messages', spec.deleteMessages));
  if (spec.file) options.push({ name: 'file', type: 11, value: spec.file.id } as Option);
  const interaction = commandInteraction({
    guild: g,
    name: 'massban',
    options,
    invokerId: spec.invokerId,
  });
  if (spec.file) {
    (interaction.data.resolved as Record<string, unknown>).attachments = { [spec.file.id]: spec.file };
  }
  const response = await callWorker(await signedRequest(JSON.stringify(interaction)));
  return { status: response.status, body: await response.json() };
}

interface ClickSpec {
  guildId?: string;
  invokerId?: string;
  invokerRoles?: string[];
  permissions?: bigint;
  token?: string;
}

/** A button click as Discord sends it (type 3), on the guild's channel. */
function clickInteraction(g: TestGuild, customId: string, spec: ClickSpec = {}) {
  const now = new Date().toISOString();
  return {
    id: randomSnowflake(),
    application_id: appId(),
    type: InteractionType.MessageComponent,
    token: spec.token ?? `interaction.${randomSnowflake()}.${crypto.randomUUID()}`,
    version: 1,
    guild_id: spec.guildId ?? g.guildId,
    channel_id: g.channelId,
    channel: { id: g.channelId, type: 0 },
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: String(ALL_MOD_PERMISSIONS),
    entitlements: [],
    authorizing_integration_owners: { '0': g.guildId },
    context: 0,
    member: {
      user: {
        id: spec.invokerId ?? g.moderatorId,
        username: 'moderator',
        discriminator: '0',
        global_name: null,
        avatar: null,
      },
      roles: spec.invokerRoles ?? [g.roles.mod],
      permissions: String(spec.permissions ?? ALL_MOD_PERMISSIONS),
      joined_at: now,
      deaf: false,
      mute: false,
      flags: 0,
    },
    message: {
      id: randomSnowflake(),
      channel_id: g.channelId,
      content: 'preview',
      flags: 64,
      components: [],
    },
    data: { component_type: ComponentType.Button, custom_id: customId },
  };
}

async function click(g: TestGuild, customId: string, spec: ClickSpec = {}): Promise<CommandResult> {
  const response = await callWorker(await signedRequest(JSON.stringify(clickInteraction(g, customId, spec))));
  return { status: response.status, body: await response.json() };
}

async function massbanOf(guildId: string) {
  return testDatabase().select().from(massbans).where(eq(massbans.guildId, guildId));
}

const customIds = (result: CommandResult) =>
  ((result.body.data as { components?: { components: { custom_id: string }[] }[] }).components ?? []).flatMap(
    (row) => row.components.map((c) => c.custom_id),
  );

async function bulkBans(guildId: string) {
  return (await discordRequests(`/guilds/${guildId}/bulk-ban`)).filter((r) => r.method === 'POST');
}

async function edits(token: string): Promise<string[]> {
  return (await discordRequests(`/messages/@original`))
    .filter((r) => r.method === 'PATCH' && r.path.includes(token))
    .map((r) => (r.body as { content: string }).content);
}

/** Previews `userIds` and confirms it with a click; the click's result and token. */
async function previewAndConfirm(g: MassbanGuild, spec: MassbanSpec) {
  const preview = await runMassban(g, spec);
  const [confirmId] = customIds(preview);
  if (!confirmId) throw new Error(`no preview: ${preview.body.data?.content}`);
  const token = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
  const confirmed = await click(g, confirmId, { token });
  return { preview, confirmId, confirmed, token, massbanId: confirmId.split(':')[2] as string };
}

describe('/massban preview', () => {
  it('says who will be banned and who is skipped and why, asking Discord only what it needs', async () => {
    const g = await seedMassbanGuild();
    const list = [
      g.targetId,
      `<@${g.seniorId}>`,
      g.ownerId,
      g.moderatorId,
      appId(),
      'garbage',
      g.bannedId,
      g.outsiderId,
      g.targetId,
    ].join(', ');
    const result = await runMassban(g, { users: list, reason: 'raiders' });
    expect(result.body.type).toBe(4);
    expect(result.body.data?.flags).toBe(64);
    expect(result.body.data?.allowed_mentions).toEqual({ parse: [] });
    const content = result.body.data?.content ?? '';
    expect(content).toContain('**2 users** will be banned. Reason: raiders');
    expect(content).toContain('Skipped 6 entries:');
    expect(content).toContain('- not a valid user ID (1): `garbage`');
    expect(content).toContain(`- highest role not below yours (1): <@${g.seniorId}>`);
    expect(content).toContain(`- the server owner (1): <@${g.ownerId}>`);
    expect(content).toContain(`- you (1): <@${g.moderatorId}>`);
    expect(content).toContain(`- me (1): <@${appId()}>`);
    expect(content).toContain(`- already banned (1): <@${g.bannedId}>`);

    const [row] = await massbanOf(g.guildId);
    expect(row?.state).toBe('previewed');
    expect(row?.userIds).toEqual([g.targetId, g.outsiderId]);
    expect(row?.skipped).toHaveLength(6);
    expect(customIds(result)).toEqual([`massban:confirm:${row?.id}`, `massban:cancel:${row?.id}`]);
    expect(row!.confirmBy.getTime() - row!.createdAt.getTime()).toBe(15 * MINUTE);

    // The guild (counts), one page of members, a ban lookup per non-member; nothing banned.
    const calls = (await discordRequests(`/guilds/${g.guildId}`)).map(
      (r) => `${r.method} ${r.path}${r.query.limit ? `?limit=${r.query.limit}&after=${r.query.after}` : ''}`,
    );
    expect(calls).toContain(`GET /guilds/${g.guildId}/members?limit=1000&after=0`);
    expect(calls.filter((c) => c.startsWith('GET') && c.includes('/bans/')).sort()).toEqual(
      [`GET /guilds/${g.guildId}/bans/${g.bannedId}`, `GET /guilds/${g.guildId}/bans/${g.outsiderId}`].sort(),
    );
    // Only the test's own seeding ban was a write.
    expect(calls.filter((c) => !c.startsWith('GET'))).toEqual([
      `PUT /guilds/${g.guildId}/bans/${g.bannedId}`,
    ]);
  });

  it('refuses a moderator without Ban Members, a list with no ids, and a file from another host', async () => {
    const g = await seedMassbanGuild();
    const noPermission = await callWorker(
      await signedRequest(
        JSON.stringify(
          commandInteraction({
            guild: g,
            name: 'massban',
            options: [stringOption('reason', 'r'), stringOption('users', g.targetId)],
            permissions: 0n,
          }),
        ),
      ),
    );
    expect(((await noPermission.json()) as CommandResult['body']).data?.content).toBe(
      'You need the **Ban Members** permission to use /massban.',
    );
    expect((await runMassban(g, { users: 'abc def' })).body.data?.content).toMatch(/^I found no user IDs/);
    const noManageServer = await callWorker(
      await signedRequest(
        JSON.stringify(
          commandInteraction({
            guild: g,
            name: 'massban',
            options: [stringOption('reason', 'r'), stringOption('users', g.targetId)],
            appPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ManageGuild,
          }),
        ),
      ),
    );
    expect(((await noManageServer.json()) as CommandResult['body']).data?.content).toBe(
      'I need the **Manage Server** permission in this server to do that. Ask an admin to grant it to my role.',
    );
    const large = await upload(`${g.targetId}\n`.repeat(14_000));
    expect((await runMassban(g, { file: large })).body.data?.content).toBe(
      `The file is ${large.size} bytes; the limit is 262144 bytes (256 KiB).`,
    );
    const foreign = { ...(await upload(g.targetId)), url: 'https://evil.example/attachments/1/2/ids.txt' };
    expect((await runMassban(g, { file: foreign })).body.data?.content).toBe(
      'I only read files uploaded to Discord with the command. Attach the list as a file.',
    );
    expect(await massbanOf(g.guildId)).toEqual([]);
  });
});

describe('/massban preview in a large server', () => {
  /** `count` members join with no roles (the stand-in's simulated raid); their ids, by join order. */
  async function raid(g: TestGuild, count: number): Promise<string[]> {
    const response = await fetch(`${testConfig().discordControlUrl}/guilds/${g.guildId}/raid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count }),
    });
    return ((await response.json()) as { userIds: string[] }).userIds;
  }
  /** The preview's member lookups (the guild directory's read of the bot's own member aside). */
  const memberCalls = async (g: TestGuild) =>
    (await discordRequests(`/guilds/${g.guildId}/members`))
      .filter((r) => !r.path.endsWith(`/members/${appId()}`))
      .map((r) =>
        r.path.endsWith('/members') ? `list after=${r.query.after}` : `get ${r.path.split('/').at(-1)}`,
      );

  it('asks for each listed user when that takes fewer calls than listing every member', async () => {
    const g = await seedMassbanGuild();
    const raiders = await raid(g, 1000);
    const listed = [raiders[0]!, g.seniorId];
    const result = await runMassban(g, { users: listed.join(' ') });
    expect(result.body.data?.content).toContain('**1 user** will be banned.');
    expect((await memberCalls(g)).sort()).toEqual(listed.map((id) => `get ${id}`).sort());
  });

  it('pages through the members (1,000 a page, after the last id) when that takes fewer calls', async () => {
    const g = await seedMassbanGuild();
    const raiders = await raid(g, 1000);
    const result = await runMassban(g, {
      users: [...raiders.slice(0, 4), g.seniorId, g.outsiderId].join(' '),
    });
    expect(result.body.data?.content).toContain('**5 users** will be banned.');
    const calls = await memberCalls(g);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe('list after=0');
    expect(calls[1]).toMatch(/^list after=\d{17,20}$/);
  });
});

describe('/massban buttons', () => {
  it('lets only the same moderator confirm, and carries a confirmation out once', async () => {
    const g = await seedMassbanGuild();
    const preview = await runMassban(g, { users: `${g.targetId} ${g.outsiderId}` });
    const [confirmId] = customIds(preview);
    const other = await click(g, confirmId!, { invokerId: g.seniorId, invokerRoles: [g.roles.senior] });
    expect(other.body.type).toBe(4);
    expect(other.body.data?.content).toBe(
      `Only <@${g.moderatorId}>, who ran this /massban, can confirm or cancel it. Nothing was done.`,
    );
    expect((await massbanOf(g.guildId))[0]?.state).toBe('previewed');

    // Two clicks at once: one is carried out, the other is told so.
    const [a, b] = await Promise.all([click(g, confirmId!), click(g, confirmId!)]);
    const types = [a.body.type, b.body.type].sort();
    expect(types).toEqual([4, 7]);
    const refused = a.body.type === 4 ? a : b;
    expect(refused.body.data?.content).toBe(
      'This massban was already confirmed; it is carried out once. Nothing was done again.',
    );
    expect(await bulkBans(g.guildId)).toHaveLength(1);
    expect((await casesOf(g.guildId)).map((c) => c.userId)).toEqual([g.targetId, g.outsiderId]);
    const [row] = await massbanOf(g.guildId);
    expect(row?.state).toBe('done');
    expect(row?.replyToken).toBeNull();
  });

  it('cancels, and then refuses to confirm', async () => {
    const g = await seedMassbanGuild();
    const preview = await runMassban(g, { users: g.targetId });
    const [confirmId, cancelId] = customIds(preview);
    const cancelled = await click(g, cancelId!);
    expect(cancelled.body).toMatchObject({
      type: 7,
      data: { content: 'Cancelled. Nobody was banned.', components: [] },
    });
    expect((await click(g, confirmId!)).body.data?.content).toBe(
      'This massban was cancelled. Run /massban again to start over.',
    );
    expect((await massbanOf(g.guildId))[0]?.state).toBe('cancelled');
    expect(await bulkBans(g.guildId)).toHaveLength(0);
  });

  it('refuses an expired preview, and the scheduler marks old previews expired', async () => {
    const g = await seedMassbanGuild();
    const first = customIds(await runMassban(g, { users: g.targetId }))[0]!;
    const second = customIds(await runMassban(g, { users: g.outsiderId }))[0]!;
    await testDatabase()
      .update(massbans)
      .set({ confirmBy: new Date(Date.now() - 1000) })
      .where(eq(massbans.guildId, g.guildId));
    expect((await click(g, first)).body.data?.content).toBe(
      'This preview expired (previews last 15 minutes). Nothing was done; run /massban again.',
    );
    await runTick(new Date(), { SCHEDULER_GUILD_IDS: g.guildId });
    const states = (await massbanOf(g.guildId)).map((r) => r.state);
    expect(states).toEqual(['expired', 'expired']);
    expect((await click(g, second)).body.data?.content).toMatch(/^This preview expired/);
    expect(await bulkBans(g.guildId)).toHaveLength(0);
  });

  it('refuses tampered custom ids: another guild’s massban, garbage, unknown prefixes', async () => {
    const g = await seedMassbanGuild();
    const other = await seedMassbanGuild();
    const [confirmId] = customIds(await runMassban(other, { users: other.targetId }));
    const answers = await Promise.all(
      [
        confirmId!,
        'massban:confirm:not-a-uuid',
        `massban:confirm:${crypto.randomUUID()}`,
        `${confirmId}:x`,
      ].map((id) => click(g, id)),
    );
    for (const answer of answers)
      expect(answer.body.data?.content).toBe('I know of no such massban in this server; nothing was done.');
    expect((await click(g, 'ban:everyone')).body.data?.content).toBe(
      'That button is not one of mine; nothing was done.',
    );
    expect((await massbanOf(other.guildId))[0]?.state).toBe('previewed');
    expect(await bulkBans(g.guildId)).toHaveLength(0);
    expect(await bulkBans(other.guildId)).toHaveLength(0);
  });
});

describe('/massban banning', () => {
  it('bans 450 users in 3 bulk calls: 450 consecutive cases, one batch id, 450 events carrying it', async () => {
    const g = await seedMassbanGuild(450);
    const file = await upload(g.knownIds.join('\n'));
    const { confirmed, token, massbanId } = await previewAndConfirm(g, {
      file,
      reason: 'raid wave',
      deleteMessages: '1h',
    });
    expect(confirmed.body).toMatchObject({
      type: 7,
      data: { content: '⏳ Banning 450 users… I will update this message as I go.', components: [] },
    });

    const calls = await bulkBans(g.guildId);
    expect(calls.map((c) => (c.body as { user_ids: string[] }).user_ids.length)).toEqual([200, 200, 50]);
    expect(calls.flatMap((c) => (c.body as { user_ids: string[] }).user_ids)).toEqual(g.knownIds);
    for (const call of calls) {
      expect(call.body).toMatchObject({ delete_message_seconds: 3600 });
      expect(call.auditLogReason).toBe(`moderator (${g.moderatorId}): raid wave`);
    }
    const rows = await casesOf(g.guildId);
    expect(rows.map((c) => c.caseNumber)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
    expect(rows.map((c) => c.userId)).toEqual(g.knownIds);
    expect(new Set(rows.map((c) => c.batchId))).toEqual(new Set([massbanId]));
    expect(rows.every((c) => c.action === 'ban' && c.reason === 'raid wave' && c.expiresAt === null)).toBe(
      true,
    );

    const outbox = await outboxOf(g.guildId);
    expect(outbox.map((o) => o.sequence).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 450 }, (_, i) => i + 1),
    );
    const events = await streamEventsOf(g.guildId);
    expect(events).toHaveLength(450);
    expect(events.every((e) => e.eventType === 'ban:created' && e.data.batchId === massbanId)).toBe(true);
    expect(events.map((e) => e.data.caseNumber)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));

    const texts = await edits(token);
    expect(texts).toEqual([
      '⏳ Banned 200 of 450…',
      '⏳ Banned 400 of 450…',
      '🔨 Banned 450 users — cases #1–#450.',
    ]);
    expect((await discordGuildState(g.guildId)).bans).toHaveLength(451);
  });

  it('reports failed users by name, and Discord’s 500000 as a clear message', async () => {
    const g = await seedMassbanGuild(1);
    const [late] = g.knownIds;
    const mixed = await runMassban(g, { users: `${g.outsiderId} ${late}` });
    const lonely = await runMassban(g, { users: g.targetId });
    // Banned by someone else between the preview and the confirmation: Discord fails them.
    await ban(g, late!);
    await ban(g, g.targetId);

    const token = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
    await click(g, customIds(mixed)[0]!, { token });
    const summary = (await edits(token)).at(-1);
    expect(summary).toBe(
      `🔨 Banned 1 user — case #1.\nDiscord did not ban 1 user: **raider-0** (<@${late}>).\nThey may be banned already, or ranked at or above my highest role.`,
    );

    const noneToken = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
    await click(g, customIds(lonely)[0]!, { token: noneToken });
    const none = (await edits(noneToken)).at(-1);
    expect(none).toContain('🔨 Nobody was banned.');
    expect(none).toContain(`Discord did not ban 1 user: **target** (<@${g.targetId}>).`);
    expect(none).toContain('Discord answered that it could ban none of them (error 500000)');
    const rows = await massbanOf(g.guildId);
    expect(rows.map((r) => [r.state, r.bannedCount, r.failedUserIds])).toEqual(
      expect.arrayContaining([
        ['done', 1, [late]],
        ['done', 0, [g.targetId]],
      ]),
    );
    expect((await casesOf(g.guildId)).map((c) => c.userId)).toEqual([g.outsiderId]);
  });

  it('makes every ban temporary with a duration; the scheduler lifts them, as one batch for the mod-log', async () => {
    const g = await seedMassbanGuild(2);
    const { massbanId } = await previewAndConfirm(g, { users: g.knownIds.join(' '), duration: '1h' });
    const rows = await casesOf(g.guildId);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(60 * MINUTE);
    await runTick(new Date(Date.now() + 61 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    const after = await casesOf(g.guildId);
    expect(after.filter((c) => c.action === 'ban').map((c) => c.state)).toEqual(['expired', 'expired']);
    const unbans = after.filter((c) => c.action === 'unban');
    expect(unbans).toHaveLength(2);
    // The lifts stay out of the massban's own cases; each ends its member's ban.
    expect(unbans.map((c) => [c.batchId, c.reason])).toEqual([
      [null, 'Temporary ban expired (massban)'],
      [null, 'Temporary ban expired (massban)'],
    ]);
    for (const ban of after.filter((c) => c.action === 'ban')) {
      expect(unbans.find((u) => u.id === ban.endedByCaseId)?.userId).toBe(ban.userId);
    }
    // Their events carry the massban's batch id and one reason, so the relay folds them.
    const lifted = (await streamEventsOf(g.guildId)).filter((e) => e.eventType === 'ban:removed');
    expect(lifted.map((e) => [e.data.caseNumber, e.data.batchId, e.data.reason])).toEqual(
      unbans.map((c) => [c.caseNumber, massbanId, 'Temporary ban expired (massban)']),
    );
    const bans = (await discordGuildState(g.guildId)).bans.map((b) => b.user.id);
    expect(bans).toEqual([g.bannedId]);
  });

  it("ends a user's earlier active ban, as /ban does, so its expiry never lifts the new one", async () => {
    const g = await seedMassbanGuild();
    await runCommand({
      guild: g,
      name: 'ban',
      options: [
        userOption('user', g.outsiderId),
        stringOption('reason', 'old'),
        stringOption('duration', '1h'),
      ],
      resolve: [{ id: g.outsiderId, roles: null }],
    });
    // Unbanned in Discord's client: the old temp-ban case is still active here.
    await asBot('DELETE', `/guilds/${g.guildId}/bans/${g.outsiderId}`);
    await previewAndConfirm(g, { users: g.outsiderId });
    const [old, fresh] = await casesOf(g.guildId);
    expect(old).toMatchObject({ reason: 'old', state: 'superseded', endedByCaseId: fresh?.id });
    expect(fresh).toMatchObject({ state: 'active', expiresAt: null, batchId: expect.any(String) });
    await runTick(new Date(Date.now() + 2 * 60 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect((await discordGuildState(g.guildId)).bans.map((b) => b.user.id).sort()).toEqual(
      [g.bannedId, g.outsiderId].sort(),
    );
  });

  it('records a chunk Discord banned once, by the scheduler, when the database failed after the ban', async () => {
    const g = await seedMassbanGuild(250);
    const preview = await runMassban(g, { users: undefined, file: await upload(g.knownIds.join(' ')) });
    const [confirmId] = customIds(preview);
    // The first chunk's record fails (one transaction); Discord has banned its 200 users by then.
    await injectDatabaseFault('jsonb_to_recordset', 1);
    const token = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
    await click(g, confirmId!, { token });
    expect(await casesOf(g.guildId)).toEqual([]);
    expect((await discordGuildState(g.guildId)).bans).toHaveLength(201);
    const [stuck] = await massbanOf(g.guildId);
    expect(stuck).toMatchObject({ state: 'banning', nextIndex: 0, bannedCount: 0 });
    expect((await edits(token)).at(-1)).toBe(
      '⏳ Banning was interrupted; I will carry on in the background within a few minutes.',
    );

    // The first tick records the repeated chunk (its 200 ban lookups take most of the step's share);
    // the next bans and records the last 50.
    await runTick(new Date(Date.now() + 2 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect((await casesOf(g.guildId)).map((c) => c.userId)).toEqual(g.knownIds.slice(0, 200));
    await runTick(new Date(Date.now() + 3 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    const rows = await casesOf(g.guildId);
    expect(rows.map((c) => c.userId)).toEqual(g.knownIds);
    expect(rows.map((c) => c.caseNumber)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(new Set(rows.map((c) => c.batchId)).size).toBe(1);
    const [row] = await massbanOf(g.guildId);
    expect(row).toMatchObject({ state: 'done', bannedCount: 250, failedUserIds: [] });
    // The repeated chunk was sent again (Discord: all 200 already banned, 500000), its users found
    // banned one by one; then the last 50.
    const sizes = (await bulkBans(g.guildId)).map((c) => (c.body as { user_ids: string[] }).user_ids.length);
    expect(sizes).toEqual([200, 200, 50]);
    const lookups = (await discordRequests(`/guilds/${g.guildId}/bans/`)).filter((r) => r.method === 'GET');
    expect(lookups).toHaveLength(200);
    expect((await edits(token)).at(-1)).toBe('🔨 Banned 250 users — cases #1–#250.');
    const events = await streamEventsOf(g.guildId);
    expect(events.map((e) => e.data.caseNumber)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Another tick finds nothing to do.
    await runTick(new Date(Date.now() + 5 * MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect(await casesOf(g.guildId)).toHaveLength(250);
    expect(await bulkBans(g.guildId)).toHaveLength(3);
  });

  it('sends a chunk again when Discord banned it but answered 5xx, recording each user once', async () => {
    const g = await seedMassbanGuild(3);
    const preview = await runMassban(g, { users: g.knownIds.join(' ') });
    await injectDiscordFault({
      method: 'POST',
      path: '/bulk-ban$',
      count: 1,
      status: 502,
      passThrough: true,
    });
    const token = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
    await click(g, customIds(preview)[0]!, { token });
    expect(await casesOf(g.guildId)).toEqual([]);
    expect((await massbanOf(g.guildId))[0]).toMatchObject({
      state: 'banning',
      nextIndex: 0,
      workClaimedUntil: null,
    });
    await runTick(new Date(Date.now() + MINUTE), { SCHEDULER_GUILD_IDS: g.guildId });
    expect((await casesOf(g.guildId)).map((c) => c.userId)).toEqual(g.knownIds);
    expect((await massbanOf(g.guildId))[0]).toMatchObject({
      state: 'done',
      bannedCount: 3,
      failedUserIds: [],
    });
    expect((await edits(token)).at(-1)).toBe('🔨 Banned 3 users — cases #1–#3.');
  });

  it('1,000 users: figures', async () => {
    const g = await seedMassbanGuild(1000);
    const file = await upload(g.knownIds.join('\n'));
    const started = Date.now();
    const preview = await runMassban(g, { file });
    const previewMs = Date.now() - started;
    const confirmStarted = Date.now();
    const token = `interaction.${randomSnowflake()}.${crypto.randomUUID()}`;
    await click(g, customIds(preview)[0]!, { token });
    const confirmMs = Date.now() - confirmStarted;
    const bulk = await bulkBans(g.guildId);
    const rows = await casesOf(g.guildId);
    expect(bulk).toHaveLength(5);
    expect(rows).toHaveLength(1000);
    expect((await massbanOf(g.guildId))[0]?.state).toBe('done');
    console.log(
      `massban 1,000 users: preview ${previewMs} ms, confirm → done ${confirmMs} ms, ${bulk.length} bulk-ban calls, ${rows.length} cases`,
    );
  }, 60_000);
});
