// The guild as the stand-in has it, polled from the control API, and the sidebar panels drawn from
// it: the server's name, Discord's security-actions banner (raid.js), the member list (members.js; a
// click picks the member for the command's user option, a right-click opens their menu and picks them
// in "Act in Discord's own UI") and the "Run commands as" choices. Every user seen is remembered, so
// a user is still named after they are unbanned. What else reads the guild is told by `onChanged`.
import { invokerOptions, memberList } from './members.js';
import { byId as $, getJson, toast } from './page-helpers.js';
import { shownName } from './page-state.js';
import { securityBanner } from './raid.js';

/**
 * `state` from page-state.js; `draw` from messages.js; `names` (page-state.js createNames);
 * `rightClick` (right-click.js); `discordUi()` the "Act in Discord's own UI" panel, once made;
 * `onChanged(first)` redraws the rest of the page that reads the guild (`first`: its first reading).
 */
export function createGuildPanels({ state, draw, names, rightClick, discordUi, onChanged }) {
  let signature = '';

  const memberContext = () => ({
    guild: state.guild,
    applicationId: state.setup.applicationId,
    invokerId: state.invokerId,
    raiders: new Set(state.raiders),
    avatar: draw.avatar,
    shownName,
  });

  function renderMembers() {
    $('members').innerHTML = memberList(memberContext());
    for (const el of $('members').querySelectorAll('.member')) {
      // As in Discord, a member's context menu has the bot's Apps and Discord's own actions; it also
      // picks them in "Act in Discord's own UI", ready for acting by hand.
      el.oncontextmenu = (event) => {
        discordUi()?.pickTarget(el.dataset.user);
        rightClick.member(event, el.dataset.user, el.classList.contains('banned'));
      };
      el.onclick = () => {
        const picker = document.querySelector('select[data-kind="user"]');
        if (picker) {
          picker.value = el.dataset.user;
          toast(`Picked ${names.userName(el.dataset.user)} for “${picker.name}”.`);
        }
      };
    }
  }

  const renderInvokers = () => {
    $('invoker').innerHTML = invokerOptions(memberContext());
  };

  /** Reads the guild; on a change, redraws what is drawn from it. */
  async function poll() {
    const result = await getJson(`${state.control}/guilds/${state.setup.guild.guildId}`).catch(() => null);
    if (!result?.ok) return;
    const next = JSON.stringify(result.body);
    if (next === signature) return;
    const first = state.guild === null;
    signature = next;
    state.guild = result.body;
    for (const user of [...state.guild.members.map((m) => m.user), ...state.guild.bans.map((b) => b.user)]) {
      if (user) state.seenUsers.set(user.id, user);
    }
    $('server-name').textContent = state.guild.name;
    $('security').innerHTML = securityBanner(state.guild.incidents_data);
    renderInvokers();
    renderMembers();
    await onChanged(first);
  }

  return { poll, renderMembers };
}
