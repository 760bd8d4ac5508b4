// The Discord stand-in's bans over real HTTP: Create Guild Ban (204, the reason from
// X-Audit-Log-Reason, the member gone, the request recorded), a user outside the guild banned but not
// one Discord does not know (10013), unbans and 10026 Unknown Ban, delete_message_seconds bounds and
// the 512-character audit-log reason (50035).
import { describe, expect, it } from 'vitest';
import type { GuildSnapshot } from '../../dev/discord/server.ts';
import { BOT_TOKEN, expectError, json, snowflake, useStandIn } from '../support/discord-stand-in.ts';

const { api, controlJson, seedWorld, requests } = useStandIn();

describe('bans', () => {
  it('bans a member: 204, ban listed with the reason, member gone, request recorded', async () => {
    const world = await seedWorld();
    const reason = 'Spamming invite links — 3rd offence';
    const response = await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      headers: { 'x-audit-log-reason': encodeURIComponent(reason) },
      body: JSON.stringify({ delete_message_seconds: 3600 }),
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    const bans = await json<{ user: { id: string }; reason: string }[]>(
      await api(`/guilds/${world.guildId}/bans`),
    );
    expect(bans).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: world.memberId }), reason }),
    ]);
    expect(await json(await api(`/guilds/${world.guildId}/bans/${world.memberId}`))).toMatchObject({
      reason,
    });
    await expectError(await api(`/guilds/${world.guildId}/members/${world.memberId}`), 404, {
      message: 'Unknown Member',
      code: 10007,
    });
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.members.map((member) => member.user.id)).not.toContain(world.memberId);
    expect(snapshot.bans.map((ban) => ban.user.id)).toEqual([world.memberId]);

    const [recorded] = await requests(`/guilds/${world.guildId}/bans/${world.memberId}`);
    expect(recorded).toMatchObject({
      method: 'PUT',
      path: `/guilds/${world.guildId}/bans/${world.memberId}`,
      auditLogReason: reason,
      body: { delete_message_seconds: 3600 },
      status: 204,
    });
    expect(recorded?.headers.authorization).toBe(`Bot ${BOT_TOKEN}`);
    expect(recorded?.headers['x-audit-log-reason']).toBe(encodeURIComponent(reason));
  });

  it('bans a user who is not a member, but not one Discord does not know', async () => {
    const world = await seedWorld();
    expect(
      (await api(`/guilds/${world.guildId}/bans/${world.outsiderId}`, { method: 'PUT', body: '{}' })).status,
    ).toBe(204);
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${snowflake()}`, { method: 'PUT', body: '{}' }),
      404,
      {
        message: 'Unknown User',
        code: 10013,
      },
    );
  });

  it('unbans, and answers 10026 Unknown Ban for someone not banned', async () => {
    const world = await seedWorld();
    await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'PUT', body: '{}' });
    expect((await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.memberId}`, { method: 'DELETE' }),
      404,
      {
        message: 'Unknown Ban',
        code: 10026,
      },
    );
    await expectError(await api(`/guilds/${world.guildId}/bans/${world.memberId}`), 404, {
      message: 'Unknown Ban',
      code: 10026,
    });
  });

  it('refuses delete_message_seconds out of range with 50035', async () => {
    const world = await seedWorld();
    await expectError(
      await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
        method: 'PUT',
        body: JSON.stringify({ delete_message_seconds: 604_801 }),
      }),
      400,
      {
        message: 'Invalid Form Body',
        code: 50035,
        errors: {
          delete_message_seconds: {
            _errors: [
              { code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 604800.' },
            ],
          },
        },
      },
    );
    const snapshot = await controlJson<GuildSnapshot>(`/guilds/${world.guildId}`);
    expect(snapshot.bans).toEqual([]);
  });

  it('refuses an audit-log reason over 512 characters', async () => {
    const world = await seedWorld();
    const response = await api(`/guilds/${world.guildId}/bans/${world.memberId}`, {
      method: 'PUT',
      body: '{}',
      headers: { 'x-audit-log-reason': encodeURIComponent('x'.repeat(513)) },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 50035, errors: { audit_log_reason: {} } });
  });
});
