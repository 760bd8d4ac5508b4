// What right-clicking shows on the sandbox page, as in Discord: on a member, the "Apps" submenu with
// the bot's user commands (Warn, Timeout, Kick, Ban) the member at the keyboard may use there, then
// Discord's own Time out / Kick / Ban (which pick the member in the "Act in Discord's own UI" panel;
// a banned user offers Unban); on a message, "Apps" with the message commands ("Warn for this
// message", "Delete and warn"). Which Apps entries show is the sandbox server's answer
// (/sandbox/api/apps: `default_member_permissions` against the member's permissions in the channel);
// choosing one sends the user or message command (/sandbox/api/app-commands).
// `ctx`: {menu (context-menu.js), invokerId(), channelId(), names, isOwner(id), applicationId(),
// getJson, runApp(name, target), pickInDiscordUi(userId, action)}.
import { appsSubmenu } from './context-menu.js';

export function createRightClick(ctx) {
  async function appsIn(channelId) {
    const query = new URLSearchParams({ as: ctx.invokerId(), channel: channelId });
    const result = await ctx.getJson(`/sandbox/api/apps?${query}`).catch(() => null);
    return result?.ok ? result.body : { user: [], message: [] };
  }

  /** The member list's menu for `userId` (`banned`: shown among the banned). */
  async function member(event, userId, banned) {
    event.preventDefault();
    const channelId = ctx.channelId();
    const apps = await appsIn(channelId);
    const name = ctx.names.userName(userId) ?? 'them';
    const items = [];
    const submenu = banned
      ? null
      : appsSubmenu(apps.user, (command) => ctx.runApp(command, { targetId: userId, channelId }));
    if (submenu) items.push(submenu, { separator: true });
    // Discord's own moderation items: nothing against the owner or the app itself.
    if (banned) {
      items.push({
        label: `Unban ${name}`,
        id: 'discord:unban',
        onSelect: () => ctx.pickInDiscordUi(userId, 'unban'),
      });
    } else if (!ctx.isOwner(userId) && userId !== ctx.applicationId()) {
      items.push(
        {
          label: `Time out ${name}`,
          id: 'discord:timeout',
          danger: true,
          onSelect: () => ctx.pickInDiscordUi(userId, 'timeout'),
        },
        {
          label: `Kick ${name}`,
          id: 'discord:kick',
          danger: true,
          onSelect: () => ctx.pickInDiscordUi(userId, 'kick'),
        },
        {
          label: `Ban ${name}`,
          id: 'discord:ban',
          danger: true,
          onSelect: () => ctx.pickInDiscordUi(userId, 'ban'),
        },
      );
    }
    if (items.at(-1)?.separator) items.pop();
    ctx.menu.open(event, items);
  }

  /** A channel message's menu (`message`: as the stand-in keeps it). */
  async function message(event, stored) {
    event.preventDefault();
    const apps = await appsIn(stored.channel_id);
    const submenu = appsSubmenu(apps.message, (command) =>
      ctx.runApp(command, { messageId: stored.id, channelId: stored.channel_id }),
    );
    const items = submenu
      ? [submenu]
      : [{ label: 'No apps for this message', id: 'apps:none', disabled: true }];
    ctx.menu.open(event, items);
  }

  return { member, message };
}
