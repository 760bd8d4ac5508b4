// The composer and what the member at the keyboard sends from the page: the command box built from
// the bot's command definitions (command-box.js) with the bot's suggestions while an option is typed
// (autocomplete.js) and the hint line under it; a slash command sent in the selected channel
// (/sandbox/api/commands), its reply shown there at once as pending; an Apps entry chosen on a member
// or a message (/sandbox/api/app-commands); a plain message typed in the line above the command box,
// posted as that member (/sandbox/api/messages). The bot's answers are taken by interaction-flow.js.
import { createAutocomplete } from './autocomplete.js';
import { createCommandBox } from './command-box.js';
import { byId as $, failureText, postJson, settled, toast } from './page-helpers.js';
import { selectedChannelId, shownName } from './page-state.js';

/**
 * `state` from page-state.js; `names` (page-state.js createNames); `replies` (replies.js); `flow`
 * (interaction-flow.js); `channel` the selected channel's pane (channel-pane.js: render, poll).
 */
export function createComposer({ state, names, replies, flow, channel }) {
  /** The form built from the command definitions (command-box.js). */
  const commandBox = createCommandBox({
    elements: {
      command: $('command'),
      subcommand: $('subcommand'),
      options: $('options'),
      description: $('command-description'),
    },
    context: () => ({
      commands: state.setup.commands,
      guild: state.guild,
      outsiders: state.setup.outsiders ?? [],
      applicationId: state.setup.applicationId,
      names,
      shownName,
      canView: (channelId) => state.channels?.canView(channelId) ?? true,
    }),
  });
  let autocomplete = null;

  const setHint = (text, error = false) => {
    const hint = $('composer-hint');
    hint.textContent = text;
    hint.style.color = error ? 'var(--red)' : '';
  };
  const renderOptions = () => {
    commandBox.render();
    setHint('Signed with the local key and sent to the Worker, as Discord does.');
  };

  /** Picks `name` in the command box and draws its options, as if chosen by hand. */
  function openCommand(name) {
    $('command').value = name;
    renderOptions();
  }

  /** Sends a command as the current invoker, in the selected channel; the reply shows up there. */
  async function runCommand(request) {
    const channelId = selectedChannelId(state);
    const reply = replies.add({
      invokerId: state.invokerId,
      channelId,
      use: commandBox.describe(request),
      verb: 'used',
    });
    channel.render();
    const sent = { ...request, invokerId: state.invokerId, channelId };
    const result = await settled(postJson('/sandbox/api/commands', sent));
    if (!result.ok) {
      replies.remove(reply);
      channel.render();
      setHint(failureText(result), true);
      return null;
    }
    setHint('Sent. Signed with the local key, as Discord does.');
    flow.apply(result.body, { reply, invokerId: state.invokerId, channelId, use: reply.use, verb: 'used' });
    return reply;
  }

  /** An Apps entry chosen on a member (`{targetId}`) or a message (`{messageId, channelId}`). */
  async function runApp(name, target) {
    const channelId = target.channelId ?? selectedChannelId(state);
    const sent = { name, invokerId: state.invokerId, ...target, channelId };
    const result = await settled(postJson('/sandbox/api/app-commands', sent));
    if (!result.ok) {
      toast(failureText(result));
      return;
    }
    flow.apply(result.body, { invokerId: state.invokerId, channelId, use: name, verb: 'used' });
  }

  /** A plain message typed in the composer: posted in the selected channel as the member at the keyboard. */
  async function say(content) {
    const channelId = selectedChannelId(state);
    const result = await postJson('/sandbox/api/messages', {
      channelId,
      invokerId: state.invokerId,
      content,
    });
    if (!result.ok) {
      toast(failureText(result));
      return false;
    }
    await channel.poll();
    return true;
  }

  /** Fills the command picker from the setup and hooks up the composer's fields, once the setup is read. */
  function wire() {
    $('command').innerHTML = state.setup.commands
      .map((c) => `<option value="${c.name}"${c.name === 'ban' ? ' selected' : ''}>${c.name}</option>`)
      .join('');
    $('command').onchange = () => {
      autocomplete.hide();
      renderOptions();
    };
    $('subcommand').onchange = () => {
      autocomplete.hide();
      commandBox.renderFields();
    };
    autocomplete = createAutocomplete({
      options: $('options'),
      popup: $('autocomplete'),
      request: () => commandBox.typed(),
      send: async (body) => {
        const channelId = selectedChannelId(state);
        const result = await postJson('/sandbox/api/autocomplete', {
          ...body,
          invokerId: state.invokerId,
          channelId,
        });
        return result.ok && !result.body.failed ? { choices: result.body.choices } : { failed: true };
      },
    });
    $('say').onkeydown = async (event) => {
      if (event.key !== 'Enter') return;
      // Enter sends the message, never the command form around it.
      event.preventDefault();
      if ($('say').value.trim() !== '' && (await say($('say').value))) $('say').value = '';
    };
    $('composer').onsubmit = async (event) => {
      event.preventDefault();
      if ($('composer-fields').disabled) return;
      $('send').disabled = true;
      autocomplete.hide();
      try {
        if (await runCommand(commandBox.read())) {
          for (const el of $('options').querySelectorAll('input:not([id$="-name"]), textarea')) el.value = '';
        }
      } finally {
        $('send').disabled = $('composer-fields').disabled;
      }
    };
    if (!state.setup.canSign) {
      setHint(
        'DISCORD_PUBLIC_KEY is a real application’s key: the sandbox cannot sign commands for it.',
        true,
      );
    }
  }

  return {
    wire,
    renderOptions,
    refreshUserPickers: () => commandBox.refreshUserPickers(),
    openCommand,
    runCommand,
    runApp,
  };
}
