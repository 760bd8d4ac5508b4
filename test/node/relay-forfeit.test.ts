// A relay whose own heartbeat lapsed (the process was paused longer than its heartbeat TTL, so
// another relay took its entries) forfeits what it still holds: it learns, refreshing its entries,
// that they are no longer its own (lockdown_relay_entries_lost_total, one log line), drops them
// unsent, and does not repeat a send it had in flight. The relay that took them posts each once.
// Also: a message whose unknown-outcome send turns out to be in the channel only in part (another
// relay posted one of its events) is not recorded whole: the rest is posted.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { modlogDeliveries } from '../../db/schema.ts';
import { eventRef } from '../../worker/delivery/work-item.ts';
import { caseEvent, publishAll } from '../support/relay-events.ts';
import {
  control,
  messages,
  pendingCount,
  postedEmbeds,
  relayWorldForFile,
  requests,
  setupGuild,
  startRelay,
  waitFor,
} from '../support/relay-harness.ts';
import { TEST_BOT_TOKEN, TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/services.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const world = relayWorldForFile();

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function relayProcess(streamKey: string, consumer: string, env: Record<string, string>): Run {
  const child = spawn(`${root}node_modules/.bin/node`, ['worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: TEST_DATABASE_URL,
      DISCORD_API_BASE: world.discord.apiBase,
      DISCORD_BOT_TOKEN: TEST_BOT_TOKEN,
      PORT: '0',
      RELAY_STREAM_KEY: streamKey,
      RELAY_CONSUMER: consumer,
      RELAY_BLOCK_MS: '200',
      RELAY_MIGRATE: 'false',
      RELAY_RETRY_BASE_MS: '50',
      RELAY_STATS_REFRESH_MS: '200',
      ...env,
    },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** The value of a counter on a relay process's /metrics. */
async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1] ?? Number.NaN);
}

/** Who holds the stream's pending entries: consumer → count. */
async function holders(streamKey: string): Promise<Record<string, number>> {
  const summary = (await world.redis.xpending(streamKey, 'relay')) as [number, ...unknown[]];
  const rows = (summary[3] ?? []) as [string, string][];
  return Object.fromEntries(rows.map(([name, n]) => [name, Number(n)]));
}

const LOST = 'entries were taken over by another relay (our heartbeat lapsed): not sending them';

describe('a relay whose heartbeat lapsed', () => {
  it('forfeits the entries another relay took: counts them, logs it, never posts them; the taker posts each once', async () => {
    const guild = await setupGuild(world);
    const hook = `^/webhooks/${guild.webhook.id}/`;
    const posts = async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).map((r) => r.status);
    // The paused relay's first post hangs (never carried out) until its 3 s timeout.
    await control(world, 'POST', '/faults', { method: 'POST', path: hook, count: 1, status: 0 });
    const pausedName = `paused-${randomUUID().slice(0, 8)}`;
    const paused = relayProcess(guild.streamKey, pausedName, {
      RELAY_BATCHING: 'false',
      RELAY_REQUEST_TIMEOUT_MS: '3000',
      RELAY_HEARTBEAT_MS: '200',
      RELAY_HEARTBEAT_TTL_MS: '1000',
      RELAY_SWEEP_MS: '200',
    });
    let taker: ReturnType<typeof startRelay> | null = null;
    try {
      const port = await waitFor(
        () => paused.output().match(/"msg":"http listening"[^\n]*?"port":(\d+)/)?.[1],
        { what: 'the relay to listen' },
      );
      const base = `http://127.0.0.1:${port}`;
      await publishAll(
        world,
        guild.streamKey,
        [1, 2, 3].map((n) => caseEvent(guild, 'warning:added', { caseNumber: n, reason: `w${n}` })),
      );
      await waitFor(async () => (await posts()).length === 1, { what: 'the hung post' });
      await waitFor(async () => (await holders(guild.streamKey))[pausedName] === 3);
      paused.child.kill('SIGSTOP');

      // The taker's first post is held 4 s and refused (never carried out): it holds the entries,
      // unposted and unrecorded, while the paused relay comes back.
      await control(world, 'POST', '/faults', {
        method: 'POST',
        path: hook,
        count: 1,
        status: 503,
        delayMs: 4_000,
      });
      taker = startRelay(world, guild.streamKey, { heartbeatMs: 200, heartbeatTtlMs: 1_000, sweepMs: 200 });
      await taker.start();
      await waitFor(async () => (await holders(guild.streamKey))[taker?.consumer ?? ''] === 3, {
        what: 'the taker to hold the three entries',
      });
      await waitFor(async () => (await posts()).length === 2, { what: "the taker's post" });
      paused.child.kill('SIGCONT');

      await waitFor(async () => (await metric(base, 'lockdown_relay_entries_lost_total')) === 3, {
        what: 'the paused relay to forfeit its three entries',
      });
      await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, {
        timeoutMs: 20_000,
        what: 'the taker to deliver',
      });
      // Long enough for the paused relay's timed-out post to have been repeated, were it to be.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
        'Warning | Case #1',
        'Warning | Case #2',
        'Warning | Case #3',
      ]);
      expect(await messages(world, guild.channelId)).toHaveLength(1);
      expect(await taker.metrics.takeovers.value()).toBe(1);
      expect(await taker.metrics.events.value({ outcome: 'delivered' })).toBe(3);
      // The paused relay sent one request (the hung one) and posted nothing.
      expect(await posts()).toEqual([0, 503, 200]);
      expect(await metric(base, 'lockdown_relay_messages_total')).toBe(0);
      // Logged as it was found out (at the wake-up beat, or by the send that was about to repeat).
      const lostLines = paused
        .output()
        .split('\n')
        .filter((l) => l.includes(LOST))
        .map((l) => JSON.parse(l) as { level: string; count: number });
      expect(lostLines.length).toBeGreaterThan(0);
      expect(lostLines.every((l) => l.level === 'warn')).toBe(true);
      expect(lostLines.reduce((sum, l) => sum + l.count, 0)).toBe(3);
    } catch (error) {
      console.log(paused.output());
      throw error;
    } finally {
      paused.child.kill('SIGCONT');
      paused.child.kill('SIGKILL');
      await taker?.stop();
    }
  });
});

describe('a send found in the channel only in part', () => {
  it('records the event found with its message and posts the others', async () => {
    const guild = await setupGuild(world);
    const hook = `^/webhooks/${guild.webhook.id}/`;
    const posts = async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).map((r) => r.status);
    // The batch's post is held 1.5 s and refused (never carried out) ...
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: hook,
      count: 1,
      status: 503,
      delayMs: 1_500,
    });
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const events = [1, 2, 3].map((n) =>
      caseEvent(guild, 'warning:added', { caseNumber: n, reason: `w${n}` }),
    );
    await publishAll(world, guild.streamKey, events);
    await waitFor(async () => (await posts()).length === 1, { what: 'the held post' });
    // ... while another relay posts the first event alone, as a relay that lost its entries would.
    const first = events[0] as (typeof events)[number];
    const response = await fetch(
      `${world.discord.apiBase}/webhooks/${guild.webhook.id}/${guild.webhook.token}?wait=true`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          embeds: [{ title: 'Warning | Case #1', footer: { text: eventRef(first.eventId) } }],
        }),
      },
    );
    expect(response.status).toBe(200);
    const elsewhere = ((await response.json()) as { id: string }).id;
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { what: 'all acked' });
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
      'Warning | Case #1',
      'Warning | Case #2',
      'Warning | Case #3',
    ]);
    const rows = await world.db
      .select()
      .from(modlogDeliveries)
      .where(eq(modlogDeliveries.guildId, guild.guildId));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.eventId === first.eventId)?.messageId).toBe(elsewhere);
    expect(await posts()).toEqual([503, 200, 200]);
    expect(await relay.metrics.confirmedPosts.value()).toBe(1);
    expect(await relay.metrics.events.value({ outcome: 'delivered' })).toBe(2);
    await relay.stop();
  });
});
