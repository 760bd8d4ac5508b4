import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { botChannelPermissions } from './channel-permissions.ts';

const bot = {
  guildId: '100',
  botId: '900',
  roles: [
    { id: '100', permissions: String(P.ViewChannel | P.SendMessages) },
    { id: '200', permissions: String(P.ManageWebhooks) },
    { id: '300', permissions: '0' },
  ],
  botRoleIds: ['200', '300'],
};
const has = (perms: string, bit: bigint) => (BigInt(perms) & bit) === bit;

describe('botChannelPermissions', () => {
  it('is @everyone OR the bot’s roles without overwrites', () => {
    const perms = botChannelPermissions(bot, []);
    expect(BigInt(perms)).toBe(P.ViewChannel | P.SendMessages | P.ManageWebhooks);
  });

  it('applies @everyone’s deny, then the roles’ allows over their denies, then the bot’s own', () => {
    const webhooks = String(P.ManageWebhooks);
    expect(
      has(botChannelPermissions(bot, [{ id: '200', type: 0, allow: '0', deny: webhooks }]), P.ManageWebhooks),
    ).toBe(false);
    // An allow on one role beats a deny on another.
    const both = [
      { id: '200', type: 0, allow: '0', deny: webhooks },
      { id: '300', type: 0, allow: webhooks, deny: '0' },
    ];
    expect(has(botChannelPermissions(bot, both), P.ManageWebhooks)).toBe(true);
    // The member overwrite comes last.
    const own = [...both, { id: '900', type: 1, allow: '0', deny: webhooks }];
    expect(has(botChannelPermissions(bot, own), P.ManageWebhooks)).toBe(false);
  });

  it('leaves nothing in a channel the bot cannot see', () => {
    const hidden = [{ id: '100', type: 0, allow: '0', deny: String(P.ViewChannel) }];
    expect(botChannelPermissions(bot, hidden)).toBe('0');
  });

  it('gives everything to Administrator, whatever the overwrites', () => {
    const admin = { ...bot, roles: [...bot.roles, { id: '400', permissions: String(P.Administrator) }] };
    const perms = botChannelPermissions({ ...admin, botRoleIds: ['400'] }, [
      { id: '100', type: 0, allow: '0', deny: String(P.ViewChannel | P.ManageWebhooks) },
    ]);
    expect(has(perms, P.ManageWebhooks)).toBe(true);
  });
});
