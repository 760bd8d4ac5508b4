// The replies this page's interactions made, kept as Discord's client keeps them: one is made when a
// command is sent (or when an answer makes a message), takes in the Worker's answer (4 a message, 5
// "thinking", anything but HTTP 200 failed), and is watched through its tokens, for as long as they
// live, on the stand-in's interaction log (/__sandbox/interactions/{token}): the @original edited, a
// deferred reply filled in, follow-ups. A click on a channel message (#mod-logs) is watched the same
// way, its @original being the clicked message. interaction-flow.js changes the replies through
// `add`, `answered` and `remove`.
import { getJson } from './page-helpers.js';
import { TOKEN_LIFETIME_MS } from './page-state.js';

/** `state` from page-state.js; `render.general()` and `render.modlog()` redraw the two message panes. */
export function createReplies({ state, render }) {
  function add(fields) {
    const reply = {
      key: crypto.randomUUID(),
      sentAt: new Date(),
      state: 'sending',
      token: null,
      answer: null,
      message: null,
      watch: [],
      seen: {},
      followups: [],
      error: null,
      ...fields,
    };
    state.replies.push(reply);
    return reply;
  }

  /** Takes in the Worker's answer to a command or a click that makes a message (type 4 or 5). */
  function answered(reply, outcome) {
    const { interaction, status, body } = outcome;
    reply.token = interaction.token;
    reply.status = status;
    reply.answer = body;
    reply.watch.push(interaction.token);
    if (status !== 200) {
      reply.state = 'failed';
      reply.error = `The Worker answered HTTP ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`;
    } else if (body?.type === 5) reply.state = 'deferred';
    else {
      reply.state = 'answered';
      reply.message = outcome.message ?? body?.data ?? null;
    }
  }

  function remove(reply) {
    const at = state.replies.indexOf(reply);
    if (at >= 0) state.replies.splice(at, 1);
  }

  /** One look at every live token: the replies' messages and follow-ups, the clicked channel messages. */
  async function poll() {
    const now = Date.now();
    let changed = false;
    const live = state.replies.filter(
      (r) => r.watch.length > 0 && now - (r.watchedSince ?? r.sentAt.getTime()) < TOKEN_LIFETIME_MS,
    );
    await Promise.all(
      live.flatMap((reply) =>
        reply.watch.map(async (token) => {
          const result = await getJson(`${state.control}/interactions/${encodeURIComponent(token)}`).catch(
            () => null,
          );
          if (!result?.ok) return;
          const original = result.body.find((m) => m.original) ?? null;
          const signature = JSON.stringify(result.body);
          if (reply.seen[token] === signature) return;
          reply.seen[token] = signature;
          changed = true;
          reply.followupsBy = { ...reply.followupsBy, [token]: result.body.filter((m) => !m.original) };
          reply.followups = reply.watch.flatMap((t) => reply.followupsBy[t] ?? []);
          if (!original) return;
          // A click's @original is the clicked message (after a deferred update, type 6): same message.
          const { original: _flag, ...message } = original;
          reply.message =
            token === reply.token || !reply.message
              ? message
              : {
                  ...message,
                  id: reply.message.id,
                  interaction_metadata: reply.message.interaction_metadata,
                };
          if (reply.state === 'deferred') reply.state = 'answered';
        }),
      ),
    );
    let modlogChanged = false;
    await Promise.all(
      state.storedWatches
        .filter((w) => now - w.since < TOKEN_LIFETIME_MS)
        .map(async (watch) => {
          const result = await getJson(
            `${state.control}/interactions/${encodeURIComponent(watch.token)}`,
          ).catch(() => null);
          const original = result?.ok ? result.body.find((m) => m.original) : null;
          if (!original || JSON.stringify(original) === watch.seen) return;
          watch.seen = JSON.stringify(original);
          const { original: _flag, ...message } = original;
          state.storedUpdates.set(watch.messageId, {
            message: { ...message, id: watch.messageId },
            basis: watch.basis,
          });
          modlogChanged = true;
        }),
    );
    if (changed) render.general();
    if (modlogChanged) render.general();
    if (changed || modlogChanged) render.modlog();
  }

  return { add, answered, remove, poll };
}
