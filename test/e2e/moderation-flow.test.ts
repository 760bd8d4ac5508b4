// The whole bot, end to end, as separate processes: the Worker under `wrangler dev`, the relay
// (`node worker/main.ts`), the embedded Postgres, a real redis-server, the Neon, Upstash and Discord
// stand-ins — started by the code `npm run dev` runs. Nothing inside is mocked: a signed /ban goes to
// the Worker, the ban reaches the Discord stand-in, the event goes through Redis (stream and pub/sub)
// to the relay, and the embed lands in #mod-logs through the webhook; the cron lifts the ban.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  channel,
  discordRequests,
  type E2eStack,
  eventually,
  guildState,
  mentionedIn,
  modlogEmbeds,
  relayIdle,
  sendCommand,
  startE2eStack,
  subcommand,
  subscribeToEvents,
  text,
  user,
} from './support.ts';

let stack: E2eStack;
let events: Awaited<ReturnType<typeof subscribeToEvents>>;

beforeAll(async () => {
  const started = Date.now();
  stack = await startE2eStack();
  stack.logs.push(`[e2e] stack up in ${Date.now() - started} ms`);
  events = await subscribeToEvents(stack.dev.redisUrl);
}, 180_000);

afterAll(async () => {
  await events?.close();
  await stack?.stop();
}, 60_000);

function showLogsOnFailure() {
  onTestFailed(() => {
    console.error(`--- the stack's last output ---\n${stack.logs.slice(-150).join('\n')}`);
  });
}

describe('the whole bot, locally', () => {
  it('runs on the embedded defaults', () => {
    expect(stack.dev.database).toBe('embedded');
    expect(stack.dev.redis).toBe('private');
    expect(stack.dev.sandboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/$/);
  });

  it('bans a member for a minute, logs it, publishes it, and lifts it when the cron runs after expiry', async () => {
    showLogsOnFailure();
    const { users, channels } = stack.guild;

    const set = await sendCommand(stack, 'modlog', [
      subcommand('set', [channel('channel', channels.modLogs)]),
    ]);
    expect(set.status).toBe(200);
    expect(set.body.data?.content).toContain(`<#${channels.modLogs}>`);
    await eventually('the "mod-log channel set" embed', async () =>
      (await modlogEmbeds(stack)).find((e) => e.title === 'Mod-log channel set'),
    );

    const banned = await sendCommand(stack, 'ban', [
      user('user', users.troublemaker),
      text('duration', '1m'),
      text('reason', 'e2e: spamming invite links'),
    ]);
    expect(banned.status).toBe(200);
    expect(banned.body.type).toBe(4);
    expect(banned.body.data?.content).toMatch(/Banned/);
    const bannedAt = Date.now();

    // At Discord: the ban, with the audit-log reason naming the moderator.
    const banRequest = await eventually('the ban request at the stand-in', async () =>
      (await discordRequests(stack, `/guilds/${stack.guild.guildId}/bans/${users.troublemaker}`)).find(
        (r) => r.method === 'PUT' && r.status === 204,
      ),
    );
    expect(banRequest.auditLogReason).toContain('e2e: spamming invite links');
    expect((await guildState(stack)).bans.map((b) => b.user.id)).toContain(users.troublemaker);

    // In #mod-logs, through the relay and the webhook.
    const banEmbed = await eventually('the ban embed in #mod-logs', async () =>
      (await modlogEmbeds(stack)).find(
        (e) => e.title?.startsWith('Temporary ban | Case #') && mentionedIn(e).includes(users.troublemaker),
      ),
    );
    expect(banEmbed.color).toBe(0xe74c3c);
    expect(banEmbed.fields?.find((f) => f.name === 'Reason')?.value).toBe('e2e: spamming invite links');

    // On the seed's pub/sub channel, heard by a real subscriber.
    const heardBan = await eventually('ban:created on pub/sub', () =>
      events.heard.find((h) => h.channel === 'ban:created' && h.event.data.userId === users.troublemaker),
    );
    const expiresAt = Date.parse(String(heardBan.event.data.expiresAt));
    expect(expiresAt - bannedAt).toBeGreaterThan(50_000);
    expect(expiresAt - bannedAt).toBeLessThanOrEqual(61_000);

    // The cron, as Cloudflare would run it a little after the expiry (wrangler dev's trigger route).
    const tick = await stack.dev.runCron(new Date(expiresAt + 5_000));
    expect(tick).toEqual({ status: 200, outcome: 'ok' });

    await eventually('the unban at the stand-in', async () =>
      (await discordRequests(stack, `/guilds/${stack.guild.guildId}/bans/${users.troublemaker}`)).find(
        (r) => r.method === 'DELETE' && r.status === 204,
      ),
    );
    expect((await guildState(stack)).bans.map((b) => b.user.id)).not.toContain(users.troublemaker);
    const unbanEmbed = await eventually('the unban embed in #mod-logs', async () =>
      (await modlogEmbeds(stack)).find(
        (e) => e.title?.startsWith('Unban | Case #') && mentionedIn(e).includes(users.troublemaker),
      ),
    );
    expect(unbanEmbed.color).toBe(0x2ecc71);
    await eventually('ban:removed on pub/sub', () =>
      events.heard.find((h) => h.channel === 'ban:removed' && h.event.data.userId === users.troublemaker),
    );
  });

  it('holds events while the relay is down and posts them in order, once, when it is back', async () => {
    showLogsOnFailure();
    const { users, channels } = stack.guild;
    const setup = await sendCommand(stack, 'modlog', [
      subcommand('set', [channel('channel', channels.modLogs)]),
    ]);
    expect(setup.status).toBe(200);
    await eventually('the relay to catch up', () => relayIdle(stack));
    const before = (await modlogEmbeds(stack)).length;

    await stack.dev.stopRelay();
    const kicked = await sendCommand(stack, 'kick', [
      user('user', users.spammer),
      text('reason', 'e2e: first'),
    ]);
    expect(kicked.body.data?.content).toMatch(/Kicked/);
    const warned = await sendCommand(stack, 'warn', [
      user('user', users.newcomer),
      text('reason', 'e2e: second'),
    ]);
    expect(warned.body.data?.content).toMatch(/Warned/);
    // Both actions happened at Discord and were published while nobody relayed them.
    await eventually('both events on pub/sub', () =>
      ['kick:executed', 'warning:added'].every((type) => events.heard.some((h) => h.channel === type)),
    );
    expect((await guildState(stack)).members.map((m) => m.user?.id)).not.toContain(users.spammer);

    await stack.dev.startRelay();
    const posted = await eventually('both embeds in #mod-logs', async () => {
      const fresh = (await modlogEmbeds(stack)).slice(before);
      return fresh.length >= 2 ? fresh : null;
    });
    // Let the relay finish (acknowledge everything), then count: each exactly once, in order.
    await eventually('the relay to be idle', () => relayIdle(stack));
    const after = (await modlogEmbeds(stack)).slice(before);
    expect(after.map((e) => e.title?.replace(/#\d+/, '#N'))).toEqual(['Kick | Case #N', 'Warning | Case #N']);
    expect(mentionedIn(after[0]!)).toContain(users.spammer);
    expect(mentionedIn(after[1]!)).toContain(users.newcomer);
    expect(after).toEqual(posted.slice(0, 2));
  });
});
