// The sandbox page: a fake Discord server to drive Lockdown by hand. The command box is built from the
// bot's own command definitions (shared/command-definitions.ts, served by /sandbox/api/setup); a
// command is sent to /sandbox/api/commands, which builds the interaction as Discord does, signs it and
// POSTs it to the Worker, "in" the channel selected in the sidebar; so are right-click Apps entries,
// modal submits, autocomplete and component clicks (each through its own /sandbox/api route). A
// plain message typed in the composer is posted as the member (the stand-in's control route), so
// there is something to right-click or purge. Everything else is read from the Discord stand-in's
// control API (/__sandbox) on this origin, by polling: the guild (members, roles, bans, webhooks,
// incidents), #mod-logs, the selected channel, deferred replies and edits, the request log.
// This module only wires the page: it reads the setup, makes each part with what it needs from the
// others, and starts the pollers. The parts: page-state.js (the state every part reads, and the
// names Discord shows), page-helpers.js (JSON over fetch, the toast, the poll timer), composer.js
// (the command box, sending commands, Apps entries and plain messages), replies.js (this page's
// replies, watched for the bot's edits), channel-pane.js (the selected channel's history and the
// composer there), modlog-pane.js (#mod-logs and its banner), message-clicks.js (clicks and
// right-clicks on messages), guild-panels.js (the guild polled; the member list and "Run commands
// as"), render.js (markdown, embeds, times), messages.js (messages and replies drawn), members.js
// (the member list's HTML), command-box.js (the form built from a command's options, read back as
// the request), autocomplete.js (the bot's suggestions while an option is typed), components.js
// (buttons and selects drawn, their clicks sent), interaction-flow.js (every answer taken as
// Discord's client takes it, modals included), modal.js (Discord's modal), context-menu.js and
// right-click.js (the right-click menus and their Apps entries), channels.js (the channel list,
// padlocks, slowmode, whether the composer is usable), raid.js (a simulated raid, the
// security-actions banner), discord-ui.js (actions taken in Discord's own UI and AutoMod's, and
// syncing the audit log that turns them into cases), sidebar-tools.js (faults, cron, status, the
// API log), dm-pane.js (a user's DM with the bot, its buttons pressed as that user).
import { createChannelPane } from './channel-pane.js';
import { createChannels } from './channels.js';
import { createComposer } from './composer.js';
import { createContextMenu } from './context-menu.js';
import { createDiscordUi } from './discord-ui.js';
import { createDmPane } from './dm-pane.js';
import { createGuildPanels } from './guild-panels.js';
import { createInteractionFlow } from './interaction-flow.js';
import { createMessageClicks } from './message-clicks.js';
import { createMessageDrawing } from './messages.js';
import { openModal } from './modal.js';
import { createModlogPane } from './modlog-pane.js';
import { byId as $, every, getJson, postJson, toast } from './page-helpers.js';
import { createNames, createPageState, selectedChannelId, shownName } from './page-state.js';
import { wireRaidPanel } from './raid.js';
import { escapeHtml, refreshTimes } from './render.js';
import { createReplies } from './replies.js';
import { createRightClick } from './right-click.js';
import { createSidebarTools } from './sidebar-tools.js';

const state = createPageState();
const names = createNames(state);
/** Messages drawn as Discord draws them (messages.js). */
const draw = createMessageDrawing({ names, applicationId: () => state.setup.applicationId });
const channelPane = createChannelPane({ state, draw });
const modlogPane = createModlogPane({ state, draw, runCommand: (request) => composer.runCommand(request) });
const replies = createReplies({ state, render: { general: channelPane.render, modlog: modlogPane.render } });
/** Every answer of the bot's, taken as Discord's client takes it (interaction-flow.js). */
const flow = createInteractionFlow({
  replies,
  render: () => {
    channelPane.render();
    modlogPane.render();
  },
  toast,
  openModal: (options) => openModal({ ...options, appName: 'Lockdown' }),
  postJson,
});
const composer = createComposer({ state, names, replies, flow, channel: channelPane });
/** The "Act in Discord's own UI" panel (discord-ui.js), made once the setup is read. */
let discordUi = null;
/** The right-click menus (context-menu.js, right-click.js). */
const rightClick = createRightClick({
  menu: createContextMenu(),
  invokerId: () => state.invokerId,
  channelId: () => selectedChannelId(state),
  names,
  isOwner: (id) => state.guild?.ownerId === id,
  applicationId: () => state.setup.applicationId,
  getJson: (url) => getJson(url),
  runApp: (name, target) => composer.runApp(name, target),
  pickInDiscordUi: (userId, action) => {
    discordUi?.pickTarget(userId, action);
    toast(`Picked ${names.userName(userId)} in “Act in Discord’s own UI”.`);
  },
});
const clicks = createMessageClicks({ state, flow, rightClick });
const guildPanels = createGuildPanels({
  state,
  draw,
  names,
  rightClick,
  discordUi: () => discordUi,
  onChanged: async (first) => {
    discordUi?.render();
    modlogPane.renderBanner();
    await state.channels.refresh(state.invokerId);
    if (first) composer.renderOptions();
    else composer.refreshUserPickers();
  },
});

async function start() {
  const result = await getJson('/sandbox/api/setup');
  state.setup = result.body;
  state.control = state.setup.controlPath;
  state.invokerId = state.setup.guild.defaultInvokerId;
  composer.wire();
  $('invoker').onchange = async () => {
    state.invokerId = $('invoker').value;
    guildPanels.renderMembers();
    channelPane.render();
    modlogPane.render();
    await state.channels.refresh(state.invokerId);
  };
  state.channels = createChannels({
    list: $('channels'),
    modLogsId: state.setup.guild.channels.modLogs,
    initialId: state.setup.guild.channels.general,
    onSelect: channelPane.show,
    onModlog: modlogPane.reveal,
  });
  clicks.wire([$('general'), $('modlog')]);
  discordUi = createDiscordUi({
    byId: $,
    context: () => ({
      guild: state.guild,
      applicationId: state.setup.applicationId,
      raiders: new Set(state.raiders),
      shownName,
      control: state.control,
    }),
    onActed: guildPanels.poll,
    toast,
  });
  wireRaidPanel({ state, openCommand: composer.openCommand, onJoined: guildPanels.poll });
  const tools = createSidebarTools({
    byId: $,
    control: () => state.control,
    getJson,
    postJson,
    toast,
    modlogWebhook: modlogPane.webhook,
    onGuildChanged: guildPanels.poll,
  });
  tools.wire();
  // A user's DM with the bot, acted in as them (dm-pane.js): a ban notice's Appeal button.
  const dms = createDmPane({ state, draw, names, byId: $, getJson, postJson, openModal });
  dms.wire();

  await guildPanels.poll();
  channelPane.render();
  every(1000, guildPanels.poll);
  every(700, modlogPane.poll);
  every(1000, channelPane.poll);
  every(700, replies.poll);
  every(1500, tools.pollRequests);
  every(3000, tools.pollStatus);
  every(1500, dms.poll);
  setInterval(() => refreshTimes(document), 1000);
}

start().catch((error) => {
  document.body.insertAdjacentHTML(
    'afterbegin',
    `<div class="error-box">The sandbox could not start: ${escapeHtml(String(error))}</div>`,
  );
});
