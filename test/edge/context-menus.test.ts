// The Apps-menu commands through the real Worker in workerd: each opens its modal (or is refused
// before the moderator types), and the modal's submit runs the slash command's own path — the same
// parsing, limits, permission and hierarchy checks, case and event. Message commands keep the
// message as evidence, through a draft only its moderator can use, once.
import type { APIMessage } from 'discord-api-types/v10';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  buildMessage,
  buildMessageCommandInteraction,
  buildModalSubmitInteraction,
  buildUserCommandInteraction,
} from '../../dev/interactions.ts';
import {
  ALL_MOD_PERMISSIONS,
  casesOf,
  discordGuildState,
  discordRequests,
  intentsOf,
  moderatorBase,
  seedGuild,
  sendInteraction,
  snowflake,
  streamEventsOf,
  type TestGuild,
  testConfig,
} from '../support/edge.ts';

type ModalData = {
  custom_id: string;
  title: string;
  components: { components: { custom_id: string; style: number; required: boolean; value?: string }[] }[];
};

async function openUserMenu(
  guild: TestGuild,
  name: string,
  targetId: string,
  roles: string[] | null,
  spec = {},
) {
  return sendInteraction(
    buildUserCommandInteraction({ ...moderatorBase(guild, spec), name, target: { id: targetId, roles } }),
  );
}

async function submit(guild: TestGuild, customId: string, fields: Record<string, string>, spec = {}) {
  return sendInteraction(buildModalSubmitInteraction({ ...moderatorBase(guild, spec), customId, fields }));
}

function memberMessage(guild: TestGuild, authorId: string, content: string): APIMessage {
  return buildMessage({
    channelId: guild.channelId,
    author: { id: authorId, username: 'target' },
    content,
    attachments: [{ filename: 'proof.png' }],
  });
}

describe('user context menus', () => {
  it('Ban opens a modal whose submit bans through /ban’s path', async () => {
    const guild = await seedGuild();
    const opened = await openUserMenu(guild, 'Ban', guild.targetId, [guild.roles.member]);
    expect(opened.body.type).toBe(9);
    const modal = opened.body.data as unknown as ModalData;
    expect(modal.custom_id).toBe(`ctx:ban:${guild.targetId}`);
    expect(modal.title.length).toBeLessThanOrEqual(45);
    const inputs = modal.components.map((row) => row.components[0]);
    expect(inputs.map((i) => i?.custom_id)).toEqual(['reason', 'duration']);
    expect(inputs[0]).toMatchObject({ style: 2, required: false });

    const before = Date.now();
    const done = await submit(guild, modal.custom_id, { reason: 'Spam raid', duration: '2h' });
    expect(done.body.type).toBe(4);
    expect(done.body.data?.flags).toBe(64);
    expect(done.body.data?.content).toMatch(/\*\*Banned\*\* <@\d+> for 2 hours — case #1/);
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toContain(guild.targetId);
    const [recorded] = await casesOf(guild.guildId);
    expect(recorded).toMatchObject({
      action: 'ban',
      userId: guild.targetId,
      reason: 'Spam raid',
      source: 'command',
    });
    const length = (recorded?.expiresAt?.getTime() ?? 0) - before;
    expect(length).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(length).toBeLessThan(2 * 3_600_000 + 60_000);
    const [ban] = await discordRequests(`/guilds/${guild.guildId}/bans/${guild.targetId}`);
    expect(ban?.auditLogReason).toContain('Spam raid');
    expect((await streamEventsOf(guild.guildId)).map((e) => e.eventType)).toEqual(['ban:created']);
  });

  it('an invalid duration in the modal is an ephemeral error and nothing happens', async () => {
    const guild = await seedGuild();
    const done = await submit(guild, `ctx:timeout:${guild.targetId}`, { duration: '5 parsecs', reason: 'x' });
    expect(done.body.type).toBe(4);
    expect(done.body.data?.flags).toBe(64);
    expect(done.body.data?.content).toMatch(/duration|understand|parsecs/i);
    expect(await casesOf(guild.guildId)).toHaveLength(0);
    expect(await intentsOf(guild.guildId)).toHaveLength(0);
    expect(await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ method: 'PATCH' })]),
    );
  });

  it('Timeout mutes with the exact timeout end, and Kick and Warn record their cases', async () => {
    const guild = await seedGuild();
    const timed = await submit(guild, `ctx:timeout:${guild.targetId}`, { duration: '10m', reason: '' });
    expect(timed.body.data?.content).toMatch(/\*\*Muted\*\* <@\d+> for 10 minutes/);
    const [patch] = (await discordRequests(`/guilds/${guild.guildId}/members/${guild.targetId}`)).filter(
      (r) => r.method === 'PATCH',
    );
    const until = Date.parse(
      String(
        (patch?.body as { communication_disabled_until?: string } | undefined)?.communication_disabled_until,
      ),
    );
    expect(Math.abs(until - (Date.now() + 600_000))).toBeLessThan(30_000);
    const warned = await submit(guild, `ctx:warn:${guild.targetId}`, { reason: 'Be nice' });
    expect(warned.body.data?.content).toMatch(/\*\*Warned\*\*/);
    const kicked = await submit(guild, `ctx:kick:${guild.targetId}`, { reason: '' });
    expect(kicked.body.data?.content).toMatch(/\*\*Kicked\*\*/);
    expect((await casesOf(guild.guildId)).map((c) => c.action).sort()).toEqual(['kick', 'mute', 'warn']);
  });

  it('Warn needs a reason, as /warn does', async () => {
    const guild = await seedGuild();
    const done = await submit(guild, `ctx:warn:${guild.targetId}`, { reason: '   ' });
    expect(done.body.data?.content).toBe('A reason is required.');
    expect(await casesOf(guild.guildId)).toHaveLength(0);
  });

  it('refuses before the modal: a higher-ranked target, a missing permission, the bot lacking its own', async () => {
    const guild = await seedGuild();
    const senior = await openUserMenu(guild, 'Timeout', guild.seniorId, [guild.roles.senior]);
    expect(senior.body.type).toBe(4);
    expect(senior.body.data?.content).toContain('their highest role is not below yours');

    const noBan = await openUserMenu(guild, 'Ban', guild.targetId, [guild.roles.member], {
      permissions: PermissionFlagsBits.ModerateMembers,
    });
    expect(noBan.body.data?.content).toBe('You need the **Ban Members** permission to use /ban.');

    const botCannot = await openUserMenu(guild, 'Kick', guild.targetId, [guild.roles.member], {
      appPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.KickMembers,
    });
    expect(botCannot.body.data?.content).toContain('I need the **Kick Members** permission');
  });

  it('refuses forged submits: no permission, a higher-ranked target, an unknown menu, a bad id', async () => {
    const guild = await seedGuild();
    const noBan = await submit(
      guild,
      `ctx:ban:${guild.targetId}`,
      { reason: 'x' },
      {
        permissions: PermissionFlagsBits.ModerateMembers,
      },
    );
    expect(noBan.body.data?.content).toBe('You need the **Ban Members** permission to use /ban.');
    // The submit reads the target's roles from Discord: naming a senior in the custom_id does not help.
    const senior = await submit(guild, `ctx:ban:${guild.seniorId}`, { reason: 'x' });
    expect(senior.body.data?.content).toContain('their highest role is not below yours');
    const unknown = await submit(guild, `ctx:nuke:${guild.targetId}`, { reason: 'x' });
    expect(unknown.body.data?.content).toBe('That form is not one of mine; nothing was done.');
    const badId = await submit(guild, 'ctx:ban:not-a-user', { reason: 'x' });
    expect(badId.body.data?.content).toBe('That form names no member; nothing was done.');
    expect(await casesOf(guild.guildId)).toHaveLength(0);
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(0);
  });
});

/** A member's message posted in the stand-in's channel (the control API), as Discord holds it. */
async function postMessage(guild: TestGuild, authorId: string, content: string): Promise<APIMessage> {
  const response = await fetch(`${testConfig().discordControlUrl}/channels/${guild.channelId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ author_id: authorId, content }),
  });
  if (!response.ok) throw new Error(`posting failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as APIMessage;
}

async function channelMessageIds(guild: TestGuild): Promise<string[]> {
  const response = await fetch(`${testConfig().discordControlUrl}/channels/${guild.channelId}/messages`);
  return ((await response.json()) as APIMessage[]).map((m) => m.id);
}

describe('message context menus', () => {
  async function openMessageMenu(guild: TestGuild, name: string, message: APIMessage, spec = {}) {
    return sendInteraction(
      buildMessageCommandInteraction({
        ...moderatorBase(guild, spec),
        name,
        message,
        authorRoles: [guild.roles.member],
      }),
    );
  }

  it('Warn for this message records the message as evidence, and the draft is used once', async () => {
    const guild = await seedGuild();
    const message = memberMessage(guild, guild.targetId, `Buy cheap nitro @everyone ${'spam '.repeat(300)}`);
    const opened = await openMessageMenu(guild, 'Warn for this message', message);
    expect(opened.body.type).toBe(9);
    const modal = opened.body.data as unknown as ModalData;
    expect(modal.custom_id).toMatch(/^ctx:warn-message:[0-9a-f-]{36}$/);

    const done = await submit(guild, modal.custom_id, { reason: 'Advertising' });
    expect(done.body.data?.content).toMatch(/\*\*Warned\*\* <@\d+> — case #1/);
    const [recorded] = await casesOf(guild.guildId);
    expect(recorded?.evidence).toMatchObject({
      messageId: message.id,
      channelId: guild.channelId,
      authorId: guild.targetId,
      attachments: ['proof.png'],
      truncated: true,
    });
    expect(recorded?.evidence?.content).toHaveLength(1000);
    const [event] = await streamEventsOf(guild.guildId);
    expect(event?.data).toMatchObject({ evidence: { messageId: message.id } });

    const again = await submit(guild, modal.custom_id, { reason: 'Advertising' });
    expect(again.body.data?.content).toContain('expired or was already used');
    expect(await casesOf(guild.guildId)).toHaveLength(1);
  });

  it('a draft is only its own moderator’s', async () => {
    const guild = await seedGuild();
    const opened = await openMessageMenu(
      guild,
      'Warn for this message',
      memberMessage(guild, guild.targetId, 'hi'),
    );
    const modal = opened.body.data as unknown as ModalData;
    const other = await submit(
      guild,
      modal.custom_id,
      { reason: 'x' },
      {
        invokerId: guild.seniorId,
        invokerRoles: [guild.roles.senior],
      },
    );
    expect(other.body.data?.content).toContain('expired or was already used');
    expect(await casesOf(guild.guildId)).toHaveLength(0);
  });

  it('refuses a message by someone the moderator may not act on, and a webhook’s', async () => {
    const guild = await seedGuild();
    const senior = await openMessageMenu(
      guild,
      'Warn for this message',
      memberMessage(guild, guild.seniorId, 'hi'),
    );
    expect(senior.body.data?.content).toContain('their highest role is not below yours');
    const hook = { ...memberMessage(guild, snowflake(), 'hook'), webhook_id: snowflake() } as APIMessage;
    const fromWebhook = await openMessageMenu(guild, 'Warn for this message', hook);
    expect(fromWebhook.body.data?.content).toContain('posted by a webhook');
  });

  it('Delete and warn deletes the message, with the reason in the audit log, and keeps it as evidence', async () => {
    const guild = await seedGuild({
      botPermissions:
        ALL_MOD_PERMISSIONS |
        PermissionFlagsBits.ViewAuditLog |
        PermissionFlagsBits.ViewChannel |
        PermissionFlagsBits.ManageMessages,
    });
    const withDelete = {
      permissions: ALL_MOD_PERMISSIONS | PermissionFlagsBits.ManageMessages,
      appPermissions: ALL_MOD_PERMISSIONS | PermissionFlagsBits.ManageMessages,
    };
    const message = await postMessage(guild, guild.targetId, 'free nitro at <@&123> @here');
    const opened = await openMessageMenu(guild, 'Delete and warn', message, withDelete);
    const modal = opened.body.data as unknown as ModalData;
    expect(modal.custom_id).toMatch(/^ctx:delete-warn:/);
    const done = await submit(guild, modal.custom_id, { reason: 'Scam link' }, withDelete);
    expect(done.body.data?.content).toMatch(
      /\*\*Warned\*\* <@\d+> — case #1\..* Their message was deleted\.$/,
    );
    expect(await channelMessageIds(guild)).not.toContain(message.id);
    const [deletion] = (await discordRequests(`/channels/${guild.channelId}/messages/${message.id}`)).filter(
      (r) => r.method === 'DELETE',
    );
    expect(deletion?.auditLogReason).toContain('Scam link');
    const [recorded] = await casesOf(guild.guildId);
    expect(recorded?.evidence).toMatchObject({
      messageId: message.id,
      content: 'free nitro at <@&123> @here',
      deleted: true,
    });
  });

  it('Delete and warn needs Manage Messages, the moderator’s and the bot’s', async () => {
    const guild = await seedGuild();
    const message = memberMessage(guild, guild.targetId, 'hi');
    const mod = await openMessageMenu(guild, 'Delete and warn', message, {
      permissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ManageMessages,
    });
    expect(mod.body.data?.content).toBe('You need the **Manage Messages** permission to delete messages.');
    const bot = await openMessageMenu(guild, 'Delete and warn', message, {
      permissions: ALL_MOD_PERMISSIONS | PermissionFlagsBits.ManageMessages,
      appPermissions: ALL_MOD_PERMISSIONS & ~PermissionFlagsBits.ManageMessages,
    });
    expect(bot.body.data?.content).toContain('I need the **Manage Messages** permission');
  });
});
