// The relay as it runs in its container (`node worker/main.ts`): configuration from the environment,
// /healthz, /stats and /metrics on PORT, and SIGTERM finishing the send in flight before exiting 0.
// Also `npm run dlq` (scripts/dlq.ts) as an operator runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { deadLetters, modlogDeliveries } from '../../db/schema.ts';
import { EVENT_STREAM_FIELD, eventTypes } from '../../shared/events.ts';
import { startHttpServer } from '../../worker/http-server.ts';
import { RelayStore } from '../../worker/store/relay-store.ts';
import { caseEvent, publish, publishAll } from '../support/relay-events.ts';
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
const nodeBin = `${root}node_modules/.bin/node`;

const world = relayWorldForFile();

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function run(script: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(nodeBin, [script, ...args], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function json(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the relay process', () => {
  it('serves health, stats and metrics, and on SIGTERM finishes the send in flight, acks and exits 0', async () => {
    const guild = await setupGuild(world);
    const relay = run('worker/main.ts', [], {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: TEST_DATABASE_URL,
      DISCORD_API_BASE: world.discord.apiBase,
      PORT: '0',
      RELAY_STREAM_KEY: guild.streamKey,
      RELAY_CONSUMER: `proc-${randomUUID().slice(0, 8)}`,
      RELAY_BLOCK_MS: '200',
      RELAY_MIGRATE: 'false',
      RELAY_STATS_REFRESH_MS: '200',
      LOG_LEVEL: 'debug',
    });
    try {
      const port = await waitFor(
        () => relay.output().match(/"msg":"http listening"[^\n]*?"port":(\d+)/)?.[1],
        {
          what: 'the relay to listen',
        },
      );
      const base = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await json(`${base}/healthz`)).status === 200, { what: 'healthy' });
      expect((await json(`${base}/healthz`)).body).toEqual({ ok: true, redis: true, loop: true });

      await publish(world, guild.streamKey, caseEvent(guild, 'ban:created', { caseNumber: 1 }));
      await waitFor(async () => (await messages(world, guild.channelId)).length === 1);
      await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
      // The figures are refreshed every RELAY_STATS_REFRESH_MS, not per scrape.
      await waitFor(
        async () => {
          const { body } = await json(`${base}/stats`);
          return body.streamLength === 1 && body.pending === 0;
        },
        { what: 'a refresh' },
      );

      const stats = (await json(`${base}/stats`)).body;
      expect(stats).toMatchObject({
        stream: guild.streamKey,
        group: 'relay',
        streamLength: 1,
        pending: 0,
        lag: 0,
        delivered: 1,
        failed: 0,
      });
      expect(Object.keys(stats.subscribers as object).sort()).toEqual([...eventTypes].sort());
      expect(typeof stats.deadLetters).toBe('number');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('lockdown_relay_events_total{outcome="delivered"} 1');
      expect(metrics).toContain('# TYPE lockdown_relay_delivery_latency_seconds histogram');
      expect(metrics).toContain('lockdown_relay_stream_length 1');
      expect(metrics).toMatch(/lockdown_relay_pubsub_subscribers\{channel="ban:created"\} \d+/);

      // A slow answer from Discord, then SIGTERM while the request is in flight.
      await control(world, 'POST', '/faults', {
        method: 'POST',
        path: `^/webhooks/${guild.webhook.id}/`,
        count: 1,
        status: 200,
        passThrough: true,
        delayMs: 1000,
      });
      await publish(world, guild.streamKey, caseEvent(guild, 'ban:removed', { caseNumber: 2 }));
      await waitFor(async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).length === 2);
      relay.child.kill('SIGTERM');
      expect(await relay.exit).toBe(0);
      expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
        'Ban | Case #1',
        'Unban | Case #2',
      ]);
      expect(await pendingCount(world, guild.streamKey)).toBe(0);
      expect(relay.output()).toMatch(/"msg":"shutting down".*"signal":"SIGTERM"/);
      expect(relay.output()).not.toContain(guild.webhook.token);
    } finally {
      relay.child.kill('SIGKILL');
    }
  });

  it('binds 127.0.0.1 unless HOST says otherwise', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    const loopback = await startHttpServer({ relay, port: 0 });
    const everywhere = await startHttpServer({ relay, port: 0, host: '0.0.0.0' });
    try {
      expect(loopback.host).toBe('127.0.0.1');
      expect(everywhere.host).toBe('0.0.0.0');
    } finally {
      await Promise.all([loopback.close(), everywhere.close()]);
    }
  });

  it('serves /stats and /metrics from figures refreshed on a timer, not per scrape', async () => {
    const guild = await setupGuild(world);
    await world.redis.xadd(guild.streamKey, '*', EVENT_STREAM_FIELD, 'x');
    const relay = startRelay(world, guild.streamKey, { statsRefreshMs: 60_000 });
    await relay.start();
    const http = await startHttpServer({ relay, port: 0 });
    try {
      expect((await json(`${http.url}/stats`)).body.streamLength).toBe(1);
      await world.redis.xadd(guild.streamKey, '*', EVENT_STREAM_FIELD, 'y');
      const scrapes = await Promise.all(Array.from({ length: 20 }, () => json(`${http.url}/stats`)));
      expect(scrapes.every((s) => s.body.streamLength === 1)).toBe(true);
      expect(await (await fetch(`${http.url}/metrics`)).text()).toContain('lockdown_relay_stream_length 1');
      expect(await world.redis.xlen(guild.streamKey)).toBe(2);
    } finally {
      await http.close();
      relay.kill();
    }
  });

  it('refuses to start without its configuration', async () => {
    const relay = run('worker/main.ts', [], { REDIS_URL: '', DATABASE_URL: TEST_DATABASE_URL });
    expect(await relay.exit).toBe(1);
    expect(relay.output()).toContain('relay: REDIS_URL is not set');
  });

  it('answers 503 on /healthz once the consumer loop is gone', async () => {
    const guild = await setupGuild(world);
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const http = await startHttpServer({ relay, port: 0, host: '127.0.0.1' });
    try {
      expect((await json(`${http.url}/healthz`)).status).toBe(200);
      relay.kill();
      expect(await json(`${http.url}/healthz`)).toEqual({
        status: 503,
        body: { ok: false, redis: true, loop: false },
      });
      expect((await fetch(`${http.url}/nope`)).status).toBe(404);
    } finally {
      await http.close();
    }
  });
});

/** The relay process on the guild's stream; its port once it listens. */
function relayProcess(guild: { streamKey: string }, consumer: string, extra: Record<string, string> = {}) {
  return run('worker/main.ts', [], {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: TEST_DATABASE_URL,
    DISCORD_API_BASE: world.discord.apiBase,
    PORT: '0',
    RELAY_STREAM_KEY: guild.streamKey,
    RELAY_CONSUMER: consumer,
    RELAY_BLOCK_MS: '200',
    RELAY_MIGRATE: 'false',
    DISCORD_BOT_TOKEN: TEST_BOT_TOKEN,
    RELAY_RETRY_BASE_MS: '50',
    ...extra,
  });
}

const warningTitles = (n: number) => Array.from({ length: n }, (_, i) => `Warning | Case #${i + 1}`);

describe('takeover', () => {
  it('takes a SIGKILLed relay’s entries within 10 s by its heartbeat, and forgets the dead consumer', async () => {
    const guild = await setupGuild(world);
    // The first post hangs, never carried out: the relay holds all five entries when it dies.
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 0,
    });
    const consumer = `doomed-${randomUUID().slice(0, 8)}`;
    const doomed = relayProcess(guild, consumer, { RELAY_REQUEST_TIMEOUT_MS: '60000' });
    try {
      await publishAll(
        world,
        guild.streamKey,
        // Each its own reason: five same-kind cases would otherwise make one digest.
        [1, 2, 3, 4, 5].map((n) => caseEvent(guild, 'warning:added', { caseNumber: n, reason: `w${n}` })),
      );
      await waitFor(async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).length === 1);
      await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 5);
    } finally {
      doomed.child.kill('SIGKILL');
    }
    await doomed.exit;
    const killedAt = Date.now();
    // The idle claim alone would wait a minute.
    const heir = startRelay(world, guild.streamKey, { claimIdleMs: 60_000 });
    await heir.start();
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length === 5, {
      timeoutMs: 10_000,
      what: 'the heir to deliver the dead relay’s entries',
    });
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual(warningTitles(5));
    expect(await heir.metrics.takeovers.value()).toBe(1);
    await waitFor(
      async () => {
        const consumers = (await world.redis.xinfo('CONSUMERS', guild.streamKey, 'relay')) as unknown[][];
        return !consumers.some((c) => c.includes(consumer));
      },
      { what: 'the dead consumer removed from the group' },
    );
    await heir.stop();
  });

  it('never takes entries from a live but slow relay', async () => {
    const guild = await setupGuild(world);
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 200,
      passThrough: true,
      delayMs: 4_000,
    });
    const slow = startRelay(world, guild.streamKey, {
      heartbeatMs: 200,
      heartbeatTtlMs: 1_000,
      sweepMs: 200,
    });
    await slow.start();
    await publishAll(
      world,
      guild.streamKey,
      [1, 2, 3].map((n) => caseEvent(guild, 'warning:added', { caseNumber: n })),
    );
    await waitFor(async () => (await requests(world, `/webhooks/${guild.webhook.id}/`)).length === 1);
    const other = startRelay(world, guild.streamKey, {
      heartbeatMs: 200,
      heartbeatTtlMs: 1_000,
      sweepMs: 200,
    });
    await other.start();
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { timeoutMs: 20_000 });
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual(warningTitles(3));
    expect(await other.metrics.takeovers.value()).toBe(0);
    expect(await other.metrics.events.value()).toBe(0);
    await Promise.all([slow.stop(), other.stop()]);
  });
});

describe('exactly once through an unknown outcome', () => {
  it('posts no duplicate when a relay is SIGKILLed between Discord carrying the post out and its record', async () => {
    const guild = await setupGuild(world);
    // Discord carries the post out at once and answers 3 s later: the relay dies in between.
    await control(world, 'POST', '/faults', {
      method: 'POST',
      path: `^/webhooks/${guild.webhook.id}/`,
      count: 1,
      status: 200,
      passThrough: true,
      delayMs: 3_000,
    });
    const doomed = relayProcess(guild, `doomed-${randomUUID().slice(0, 8)}`);
    try {
      await publish(world, guild.streamKey, caseEvent(guild, 'ban:created', { caseNumber: 1 }));
      await waitFor(async () => (await messages(world, guild.channelId)).length === 1, { what: 'the post' });
    } finally {
      doomed.child.kill('SIGKILL');
    }
    await doomed.exit;
    expect(await pendingCount(world, guild.streamKey)).toBe(1);
    const heir = startRelay(world, guild.streamKey);
    await heir.start();
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, {
      timeoutMs: 12_000,
      what: 'the heir to settle the entry',
    });
    const posted = await messages(world, guild.channelId);
    expect(posted).toHaveLength(1);
    expect(await heir.metrics.confirmedPosts.value()).toBe(1);
    expect(await heir.metrics.messages.value()).toBe(0);
    const [row] = await world.db
      .select()
      .from(modlogDeliveries)
      .where(eq(modlogDeliveries.guildId, guild.guildId));
    expect(row?.messageId).toBe(posted[0]?.id);
    await heir.stop();
  });

  it('posts no duplicate when a post times out, loses its connection or gets a 5xx after Discord carried it out', async () => {
    const guild = await setupGuild(world);
    const relay = relayProcess(guild, `late-${randomUUID().slice(0, 8)}`, {
      RELAY_REQUEST_TIMEOUT_MS: '500',
    });
    const faults = [
      { status: 200, passThrough: true, delayMs: 2_000 }, // answers after the client gave up
      { status: 200, passThrough: true, drop: true }, // carried out, connection dropped
      { status: 503, passThrough: true }, // carried out, then a 5xx
    ];
    try {
      for (const [i, spec] of faults.entries()) {
        await control(world, 'POST', '/faults', {
          method: 'POST',
          path: `^/webhooks/${guild.webhook.id}/`,
          count: 1,
          ...spec,
        });
        await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: i + 1 }));
        await waitFor(async () => (await messages(world, guild.channelId)).length >= i + 1);
        await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0, { timeoutMs: 10_000 });
      }
      expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual(warningTitles(3));
      expect(relay.output()).not.toContain(TEST_BOT_TOKEN);
    } finally {
      relay.child.kill('SIGKILL');
    }
  });
});

describe('npm run dlq', () => {
  const env = () => ({ DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL });

  it('lists, replays (to a running relay, which posts them) and purges dead letters', async () => {
    const guild = await setupGuild(world);
    const events = [1, 2, 3].map((n) => caseEvent(guild, 'warning:added', { caseNumber: n }));
    for (const [i, event] of events.entries()) {
      await new RelayStore(world.db).addDeadLetter({
        eventId: event.eventId,
        guildId: guild.guildId,
        streamEntryId: `${1000 + i}-0`,
        raw: JSON.stringify(event),
        reason: 'retries_exhausted',
        detail: 'Discord answered 503',
      });
    }
    const list = run('scripts/dlq.ts', ['list', '--guild', guild.guildId], env());
    expect(await list.exit).toBe(0);
    expect(list.output().trim().split('\n')).toHaveLength(3);
    expect(list.output()).toContain(`event ${events[0]?.eventId}`);

    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    const replay = run('scripts/dlq.ts', ['replay', '--guild', guild.guildId], {
      ...env(),
      RELAY_STREAM_KEY: guild.streamKey,
    });
    expect(await replay.exit).toBe(0);
    expect(replay.output()).toContain(`3 replayed to ${guild.streamKey}, 0 skipped`);
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length === 3);
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
      'Warning | Case #1',
      'Warning | Case #2',
      'Warning | Case #3',
    ]);
    // The relay marks a row replayed once its event is delivered (just after the post).
    const rowsOf = () => world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId));
    await waitFor(async () => (await rowsOf()).every((r) => r.replayedAt !== null));
    const rows = await rowsOf();
    expect(rows.every((r) => r.replayedAt !== null)).toBe(true);

    const purge = run('scripts/dlq.ts', ['purge', '--guild', guild.guildId, '--yes'], env());
    expect(await purge.exit).toBe(0);
    expect(purge.output()).toContain('3 dead letters purged');
    expect(await world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId))).toEqual(
      [],
    );
    await relay.stop();
  });

  it('replays through the guild lane: rows wait until delivered, oldest first, before newer events', async () => {
    const guild = await setupGuild(world);
    const events = [1, 2, 3].map((n) => caseEvent(guild, 'warning:added', { caseNumber: n }));
    // Stored out of publication order: the stream entry ids say which is oldest.
    for (const i of [2, 0, 1]) {
      const event = events[i] as (typeof events)[number];
      await new RelayStore(world.db).addDeadLetter({
        eventId: event.eventId,
        guildId: guild.guildId,
        streamEntryId: `${1000 + i}-0`,
        raw: JSON.stringify(event),
        reason: 'retries_exhausted',
        detail: 'Discord answered 503',
      });
    }
    await world.redis.xadd(guild.streamKey, '*', EVENT_STREAM_FIELD, 'x'); // the stream exists
    const replay = run('scripts/dlq.ts', ['replay', '--guild', guild.guildId], {
      ...env(),
      RELAY_STREAM_KEY: guild.streamKey,
    });
    expect(await replay.exit).toBe(0);
    // No relay ran yet: nothing was delivered, so nothing is marked replayed, and no event was
    // put back on the stream under a new entry id.
    const waiting = await world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId));
    expect(waiting.map((r) => r.replayedAt)).toEqual([null, null, null]);
    const entries = await world.redis.xrange(guild.streamKey, '-', '+');
    expect(entries.filter(([, fields]) => fields[0] === EVENT_STREAM_FIELD)).toHaveLength(1);

    await publish(world, guild.streamKey, caseEvent(guild, 'warning:added', { caseNumber: 4 }));
    const relay = startRelay(world, guild.streamKey);
    await relay.start();
    await waitFor(async () => (await postedEmbeds(world, guild.channelId)).length === 4);
    expect((await postedEmbeds(world, guild.channelId)).map((e) => e.title)).toEqual([
      'Warning | Case #1',
      'Warning | Case #2',
      'Warning | Case #3',
      'Warning | Case #4',
    ]);
    await waitFor(async () => (await pendingCount(world, guild.streamKey)) === 0);
    const done = await world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId));
    expect(done.every((r) => r.replayedAt !== null)).toBe(true);
    await relay.stop();
  });

  it('asks before purging: refuses without a terminal unless --yes', async () => {
    const guild = await setupGuild(world);
    await new RelayStore(world.db).addDeadLetter({
      eventId: randomUUID(),
      guildId: guild.guildId,
      streamEntryId: '1-0',
      raw: JSON.stringify(caseEvent(guild, 'kick:executed')),
      reason: 'bad_payload',
      detail: null,
    });
    const refused = run('scripts/dlq.ts', ['purge', '--all'], env());
    expect(await refused.exit).toBe(2);
    expect(refused.output()).toContain('purge deletes for good: run it from a terminal, or add --yes');
    expect(
      await world.db.select().from(deadLetters).where(eq(deadLetters.guildId, guild.guildId)),
    ).toHaveLength(1);
    const confirmed = run('scripts/dlq.ts', ['purge', '--guild', guild.guildId, '--yes'], env());
    expect(await confirmed.exit).toBe(0);
    expect(confirmed.output()).toContain('1 dead letter purged');
  });

  it('skips what replay cannot fix, and explains bad arguments', async () => {
    const guild = await setupGuild(world, { modlog: false });
    await world.redis.xadd(guild.streamKey, '*', EVENT_STREAM_FIELD, 'x'); // the stream exists
    await new RelayStore(world.db).addDeadLetter({
      eventId: randomUUID(),
      guildId: guild.guildId,
      streamEntryId: '1-0',
      raw: JSON.stringify(caseEvent(guild, 'kick:executed')),
      reason: 'bad_payload',
      detail: null,
    });
    const replay = run('scripts/dlq.ts', ['replay', '--guild', guild.guildId], {
      ...env(),
      RELAY_STREAM_KEY: guild.streamKey,
    });
    expect(await replay.exit).toBe(0);
    expect(replay.output()).toContain('has no mod-log');
    expect(replay.output()).toContain('0 replayed');

    const bad = run('scripts/dlq.ts', ['purge'], env());
    expect(await bad.exit).toBe(2);
    expect(bad.output()).toContain('dlq: purge needs --guild ID, --event ID, --replayed or --all');
    expect(bad.output()).toContain('Usage: npm run dlq');
    const unknown = run('scripts/dlq.ts', ['list', '--guild', 'everyone'], env());
    expect(await unknown.exit).toBe(2);
    expect(unknown.output()).toContain('--guild must be a guild id');
  });
});
