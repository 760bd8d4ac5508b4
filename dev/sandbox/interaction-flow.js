// How the sandbox page takes the bot's answer to anything it sent — a slash command, an Apps entry, a
// button or select, a modal's submit — as Discord's client does: 4 a message (an ephemeral one reads
// "Only you can see this"), 5 "Lockdown is thinking" until @original is edited, 6 nothing until the
// component's message is edited through the token, 7 that message updated in place, 9 a modal
// (modal.js) whose submit goes to /sandbox/api/modals and whose answer is taken the same way (with
// the button's message, when a button opened it). An answer Discord's client would not accept (the
// sandbox server says why, answers.ts) is "The application did not respond" on a pending command and
// "This interaction failed" otherwise.

/**
 * `replies`: `{add(fields), answered(reply, outcome), remove(reply)}` (replies.js keeps them);
 * `render()` redraws the channel panes; `toast(text)`; `openModal({modal, onSubmit})`;
 * `postJson(url, body)` → `{ok, status, body}`.
 */
export function createInteractionFlow({ replies, render, toast, openModal, postJson }) {
  /**
   * `outcome`: what the sandbox server answered (`{interaction, status, body, message?, modal?, failed?}`).
   * `context`: `{invokerId, channelId, use, verb, reply?, source?}` — `reply` a pending message
   * already shown (a slash command's), `source` the message a component is on (see message-clicks.js
   * clickSource: its `update(message)` and `watch(token)`).
   */
  function apply(outcome, context) {
    const type = outcome.body?.type;
    if (outcome.failed) {
      if (context.reply) {
        context.reply.state = 'failed';
        context.reply.error = `The application did not respond: ${outcome.failed}.`;
      } else toast(`This interaction failed: ${outcome.failed}.`);
    } else if (type === 9) {
      if (context.reply) replies.remove(context.reply);
      showModal(outcome, context);
    } else if (type === 4 || type === 5) {
      const reply =
        context.reply ??
        replies.add({
          invokerId: context.invokerId,
          channelId: context.channelId,
          use: context.use,
          verb: context.verb,
        });
      replies.answered(reply, outcome);
    } else if (context.source) {
      // After an update (7) or a deferred one (6), the interaction's @original is the component's
      // message: the bot edits it later through this token.
      if (type === 7 && outcome.message) context.source.update(outcome.message);
      context.source.watch(outcome.interaction.token);
    }
    render();
  }

  function showModal(outcome, context) {
    openModal({
      modal: outcome.modal,
      onSubmit: async (values) => {
        const result = await postJson('/sandbox/api/modals', {
          token: outcome.interaction.token,
          values,
          invokerId: context.invokerId,
        }).catch((error) => ({ ok: false, status: 0, body: { message: String(error) } }));
        if (!result.ok) return { error: result.body?.message ?? `The sandbox answered ${result.status}.` };
        // Discord keeps the modal open, with its own words, when the bot's answer is not one.
        if (result.body.failed) return { error: `Something went wrong. Try again. (${result.body.failed})` };
        apply(result.body, { ...context, reply: undefined });
        return { ok: true };
      },
    });
  }

  return { apply };
}
