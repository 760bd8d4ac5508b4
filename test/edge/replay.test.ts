// A signed interaction is carried out once: the same signed body sent again within its five minutes
// (Discord never retries an interaction POST, so that is a replay) is refused before any work.
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seenInteractions } from '../../db/schema.ts';
import {
  callWorker,
  casesOf,
  commandInteraction,
  discordRequests,
  outboxOf,
  seedGuild,
  signedRequest,
  snowflake,
  stringOption,
  type TestGuild,
  testDatabase,
  userOption,
} from '../support/edge.ts';

const ALREADY_HANDLED = 'This interaction was already handled; nothing was done again.';

function warnBody(guild: TestGuild) {
  return JSON.stringify(
    commandInteraction({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'spam')],
      resolve: [{ id: guild.targetId }],
    }),
  );
}

async function send(body: string) {
  const response = await callWorker(await signedRequest(body));
  return { status: response.status, body: (await response.json()) as { data?: { content?: string } } };
}

async function dmsTo(userId: string) {
  return (await discordRequests('/users/@me/channels')).filter(
    (r) => (r.body as { recipient_id?: string } | null)?.recipient_id === userId,
  );
}

describe('replayed interactions', () => {
  it('carries out the same signed /warn once: one case, one DM, one event', async () => {
    const guild = await seedGuild();
    const body = warnBody(guild);
    const first = await send(body);
    expect(first.body.data?.content).toBe(`**Warned** <@${guild.targetId}> — case #1. They were told by DM.`);
    const replay = await send(body);
    expect(replay.status).toBe(200);
    expect(replay.body.data?.content).toBe(ALREADY_HANDLED);
    expect(await casesOf(guild.guildId)).toHaveLength(1);
    expect(await dmsTo(guild.targetId)).toHaveLength(1);
    expect(await outboxOf(guild.guildId)).toHaveLength(1);
  });

  it('carries out the same body sent twice at once only once', async () => {
    const guild = await seedGuild();
    const body = warnBody(guild);
    const answers = await Promise.all([send(body), send(body)]);
    const contents = answers.map((a) => a.body.data?.content).sort();
    expect(contents).toEqual([
      `**Warned** <@${guild.targetId}> — case #1. They were told by DM.`,
      ALREADY_HANDLED,
    ]);
    expect(await casesOf(guild.guildId)).toHaveLength(1);
    expect(await dmsTo(guild.targetId)).toHaveLength(1);
  });

  it('still answers a repeated PING (it changes nothing)', async () => {
    const ping = JSON.stringify({ type: 1, id: '42', application_id: '1', token: 't', version: 1 });
    for (let i = 0; i < 2; i++) {
      const response = await callWorker(await signedRequest(ping));
      expect(await response.json()).toEqual({ type: 1 });
    }
  });
});

describe('the record of seen interactions', () => {
  it('prunes ids too old to pass the timestamp check again when it records a new one', async () => {
    const db = testDatabase();
    const oldId = snowflake();
    const recentId = snowflake();
    const now = Date.now();
    await db.insert(seenInteractions).values([
      { interactionId: oldId, seenAt: new Date(now - 20 * 60_000) },
      { interactionId: recentId, seenAt: new Date(now - 11 * 60_000) },
    ]);
    await send(warnBody(await seedGuild()));
    const left = await db
      .select()
      .from(seenInteractions)
      .where(inArray(seenInteractions.interactionId, [oldId, recentId]));
    expect(left.map((row) => row.interactionId)).toEqual([recentId]);
  });
});
