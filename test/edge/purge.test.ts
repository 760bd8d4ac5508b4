// /purge against the Discord stand-in, the real Postgres and Redis, and the Worker in workerd: the
// messages left in the channel, the exact Discord calls (one read, one bulk delete or one DELETE),
// Discord's 14 days, pinned messages kept, the refusals that touch nothing, the one `messages.purged`
// line on the stream, and honest replies when Discord or the database fails half-way.
import { type APIMessage, PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALL_MOD_PERMISSIONS,
  type CommandSpec,
  callWorker,
  commandInteraction,
  discordRequests,
  injectDatabaseFault,
  injectDiscordFault,
  integerOption,
  outboxOf,
  runCommand,
  seedGuild,
  signedRequest,
  streamEventsOf,
  stringOption,
  type TestGuild,
  testConfig,
  userOption,
} from '../support/edge.ts';

const P = PermissionFlagsBits;
const DAY = 86_400_000;
const MODERATOR = ALL_MOD_PERMISSIONS | P.ManageMessages;
/** What the bot holds in the channel (`app_permissions`) and in the stand-in's guild. */
const BOT = ALL_MOD_PERMISSIONS | P.ViewAuditLog | P.ViewChannel | P.ReadMessageHistory | P.ManageMessages;

const seed = () => seedGuild({ botPermissions: BOT });

/** A member's message in the guild's channel, `ageMs` old (its id carries the time, as Discord's do). */
async function post(g: TestGuild, authorId: string, ageMs = 0, pinned = false): Promise<string> {
  const response = await fetch(`${testConfig().discordControlUrl}/channels/${g.channelId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      author_id: authorId,
      content: 'buy cheap followers',
      at: new Date(Date.now() - ageMs).toISOString(),
      pinned,
    }),
  });
  if (!response.ok) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as APIMessage).id;
}

async function left(g: TestGuild): Promise<string[]> {
  const response = await fetch(`${testConfig().discordControlUrl}/channels/${g.channelId}/messages`);
  return ((await response.json()) as APIMessage[]).map((m) => m.id).sort();
}

const sorted = (ids: readonly string[]) => [...ids].sort();

function purgeSpec(
  g: TestGuild,
  count: number,
  extra: { user?: string; reason?: string } & Partial<CommandSpec> = {},
): CommandSpec {
  const { user, reason, ...rest } = extra;
  return {
    guild: g,
    name: 'purge',
    options: [
      integerOption('count', count),
      ...(user ? [userOption('user', user)] : []),
      ...(reason ? [stringOption('reason', reason)] : []),
    ],
    resolve: user ? [{ id: user }] : [],
    permissions: MODERATOR,
    appPermissions: BOT,
    ...rest,
  };
}

const purge = async (spec: CommandSpec) => (await runCommand(spec)).body.data?.content;

const calls = async (g: TestGuild) => {
  const requests = await discordRequests(`/channels/${g.channelId}/messages`);
  return {
    reads: requests.filter((r) => r.method === 'GET'),
    bulk: requests.filter((r) => r.method === 'POST' && r.path.endsWith('/bulk-delete')),
    deletes: requests.filter((r) => r.method === 'DELETE'),
  };
};

async function purgeEvents(g: TestGuild) {
  return (await streamEventsOf(g.guildId)).filter(
    (e) => e.eventType === 'audit:logged' && e.data.action === 'messages.purged',
  );
}

describe('/purge', () => {
  it("deletes only the named member's messages in one bulk delete, keeps pinned ones, and logs it once", async () => {
    const g = await seed();
    const theirs = [
      await post(g, g.targetId, 3 * DAY),
      await post(g, g.targetId, DAY),
      await post(g, g.targetId),
    ];
    const pinned = await post(g, g.targetId, 0, true);
    const others = [await post(g, g.seniorId), await post(g, g.seniorId)];
    const reply = await purge(purgeSpec(g, 50, { user: g.targetId, reason: 'spam' }));
    expect(reply).toBe(
      `🧹 Deleted 3 messages by <@${g.targetId}> in <#${g.channelId}>. 1 pinned message was kept.`,
    );
    expect(await left(g)).toEqual(sorted([pinned, ...others]));

    const { reads, bulk, deletes } = await calls(g);
    expect(reads.map((r) => r.query)).toEqual([{ limit: '50' }]);
    expect(bulk).toHaveLength(1);
    expect(sorted((bulk[0]!.body as { messages: string[] }).messages)).toEqual(sorted(theirs));
    expect(bulk[0]!.auditLogReason).toBe(`moderator (${g.moderatorId}): /purge — spam`);
    expect(deletes).toEqual([]);

    const events = await purgeEvents(g);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      guildId: g.guildId,
      userId: g.targetId,
      moderatorId: g.moderatorId,
      reason: 'spam',
      details: {
        Channel: `<#${g.channelId}>`,
        Deleted: 3,
        'Skipped (older than 14 days)': 0,
        'Pinned (kept)': 1,
        'Only messages by': `<@${g.targetId}>`,
      },
    });
    expect(events[0]!.sequence).toBeGreaterThan(0);
  });

  it('skips messages older than 14 days and says so; `count` bounds what is looked through', async () => {
    const g = await seed();
    const oldest = await post(g, g.targetId, 40 * DAY);
    const old = [await post(g, g.seniorId, 30 * DAY), await post(g, g.targetId, 14 * DAY + 30_000)];
    const young = [await post(g, g.targetId, 13 * DAY), await post(g, g.seniorId)];
    const reply = await purge(purgeSpec(g, 4));
    expect(reply).toBe(
      `🧹 Deleted 2 messages in <#${g.channelId}>. 2 were older than 14 days and were skipped (Discord does not bulk-delete those).`,
    );
    // The fifth-newest message was never looked at.
    expect(await left(g)).toEqual(sorted([oldest, ...old]));
    const { bulk } = await calls(g);
    expect(sorted((bulk[0]!.body as { messages: string[] }).messages)).toEqual(sorted(young));
    const [event] = await purgeEvents(g);
    expect(event!.data).toMatchObject({
      userId: g.moderatorId,
      reason: null,
      details: { Channel: `<#${g.channelId}>`, Deleted: 2, 'Skipped (older than 14 days)': 2 },
    });
    expect(event!.data.details).not.toHaveProperty('Only messages by');
  });

  it('deletes a single deletable message with DELETE, not a bulk delete', async () => {
    const g = await seed();
    const only = await post(g, g.targetId);
    const old = await post(g, g.targetId, 20 * DAY);
    const other = await post(g, g.seniorId);
    const reply = await purge(purgeSpec(g, 10, { user: g.targetId }));
    expect(reply).toBe(
      `🧹 Deleted 1 message by <@${g.targetId}> in <#${g.channelId}>. 1 was older than 14 days and was skipped (Discord does not bulk-delete those).`,
    );
    expect(await left(g)).toEqual(sorted([old, other]));
    const { bulk, deletes } = await calls(g);
    expect(bulk).toEqual([]);
    expect(deletes.map((r) => r.path)).toEqual([`/channels/${g.channelId}/messages/${only}`]);
    expect(deletes[0]!.auditLogReason).toBe(`moderator (${g.moderatorId}): /purge`);
    expect((await purgeEvents(g))[0]!.data.details).toMatchObject({ Deleted: 1 });
  });

  it('with nothing deletable, says why, deletes nothing and logs nothing', async () => {
    const g = await seed();
    expect(await purge(purgeSpec(g, 10))).toBe(`There are no messages in <#${g.channelId}> to delete.`);
    await post(g, g.targetId, 20 * DAY);
    await post(g, g.targetId, 0, true);
    await post(g, g.seniorId);
    expect(await purge(purgeSpec(g, 10, { user: g.outsiderId }))).toBe(
      `None of the last 3 messages in <#${g.channelId}> are by <@${g.outsiderId}>. Nothing was deleted.`,
    );
    expect(await purge(purgeSpec(g, 10, { user: g.targetId }))).toBe(
      `Nothing was deleted: of the 2 messages by <@${g.targetId}> among the last 3 messages in <#${g.channelId}>, 1 is older than 14 days (Discord does not bulk-delete those) and 1 is pinned (pinned messages are kept).`,
    );
    const { bulk, deletes } = await calls(g);
    expect([...bulk, ...deletes]).toEqual([]);
    expect(await left(g)).toHaveLength(3);
    expect(await outboxOf(g.guildId)).toEqual([]);
  });

  it('refuses a moderator without Manage Messages before reading anything', async () => {
    const g = await seed();
    await post(g, g.targetId);
    const reply = await purge(purgeSpec(g, 10, { permissions: ALL_MOD_PERMISSIONS }));
    expect(reply).toBe('You need the **Manage Messages** permission to use /purge.');
    expect((await calls(g)).reads).toEqual([]);
    expect(await left(g)).toHaveLength(1);
  });

  it('refuses when the bot lacks Read Message History or Manage Messages in the channel, naming them', async () => {
    const g = await seed();
    await post(g, g.targetId);
    expect(await purge(purgeSpec(g, 10, { appPermissions: BOT & ~P.ReadMessageHistory }))).toBe(
      `I need the **Read Message History** permission in <#${g.channelId}> to purge messages there. Ask an admin to grant it to my role (or in the channel's permissions).`,
    );
    expect(
      await purge(purgeSpec(g, 10, { appPermissions: BOT & ~(P.ReadMessageHistory | P.ManageMessages) })),
    ).toBe(
      `I need the **Manage Messages** and **Read Message History** permissions in <#${g.channelId}> to purge messages there. Ask an admin to grant them to my role (or in the channel's permissions).`,
    );
    expect((await calls(g)).reads).toEqual([]);
    expect(await outboxOf(g.guildId)).toEqual([]);
  });

  it('a replayed interaction deletes and logs nothing again', async () => {
    const g = await seed();
    await post(g, g.targetId);
    await post(g, g.targetId);
    const body = JSON.stringify(commandInteraction(purgeSpec(g, 10)));
    const first = (await (await callWorker(await signedRequest(body))).json()) as {
      data: { content: string };
    };
    expect(first.data.content).toBe(`🧹 Deleted 2 messages in <#${g.channelId}>.`);
    await post(g, g.targetId);
    const again = (await (await callWorker(await signedRequest(body))).json()) as {
      data: { content: string };
    };
    expect(again.data.content).toBe('This interaction was already handled; nothing was done again.');
    expect(await left(g)).toHaveLength(1);
    expect((await calls(g)).bulk).toHaveLength(1);
    expect(await purgeEvents(g)).toHaveLength(1);
    expect(await outboxOf(g.guildId)).toHaveLength(1);
  });

  it('says the purge is not in the mod-log when the database fails after Discord deleted', async () => {
    const g = await seed();
    await post(g, g.targetId);
    await post(g, g.targetId);
    await injectDatabaseFault(`${g.guildId}[\\s\\S]*messages\\.purged`, 1);
    const reply = await purge(purgeSpec(g, 10));
    expect(reply).toBe(
      `🧹 Deleted 2 messages in <#${g.channelId}>.\nI could not record this in the mod-log (our database did not answer), so it has no mod-log entry.`,
    );
    expect(await left(g)).toEqual([]);
    expect(await outboxOf(g.guildId)).toEqual([]);
    expect(await purgeEvents(g)).toEqual([]);
  });

  it('after a bulk delete Discord did not confirm, counts what is gone before logging it', async () => {
    const g = await seed();
    const bulkPath = `^/channels/${g.channelId}/messages/bulk-delete$`;
    await post(g, g.targetId);
    await post(g, g.targetId);
    // Discord carried it out but answered 500.
    await injectDiscordFault({ method: 'POST', path: bulkPath, count: 1, status: 500, passThrough: true });
    expect(await purge(purgeSpec(g, 10))).toBe(`🧹 Deleted 2 messages in <#${g.channelId}>.`);
    expect(await left(g)).toEqual([]);
    expect((await purgeEvents(g))[0]!.data.details).toMatchObject({ Deleted: 2 });

    // Discord answered 500 and did nothing: nothing is claimed, nothing logged.
    await post(g, g.seniorId);
    await post(g, g.seniorId);
    await injectDiscordFault({ method: 'POST', path: bulkPath, count: 1, status: 500 });
    expect(await purge(purgeSpec(g, 10))).toBe(
      'Discord did not confirm the deletion, and every message is still there: nothing was deleted. Try again shortly.',
    );
    expect(await left(g)).toHaveLength(2);
    expect(await purgeEvents(g)).toHaveLength(1);
  });

  it("relays Discord's 50034 plainly when an id crosses 14 days after planning", async () => {
    const g = await seed();
    await post(g, g.targetId);
    await post(g, g.targetId);
    await injectDiscordFault({
      method: 'POST',
      path: `^/channels/${g.channelId}/messages/bulk-delete$`,
      count: 1,
      status: 400,
      code: 50034,
      message: 'You can only bulk delete messages that are under 14 days old.',
    });
    expect(await purge(purgeSpec(g, 10))).toBe(
      'Discord refused: one of the messages is older than 14 days, so none was deleted. Try again.',
    );
    expect(await left(g)).toHaveLength(2);
    expect(await outboxOf(g.guildId)).toEqual([]);
  });
});
