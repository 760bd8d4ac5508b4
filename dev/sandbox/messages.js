// Messages drawn as Discord's client draws them: avatars, a message's body (content, embeds, and its
// components, keyed so a click can be traced back to the message), a message the stand-in keeps in a
// channel (author, APP or BOT tag, time, "(edited)"), and a reply to this page's interaction ("Maya
// used /ban …", "Lockdown is thinking", "Only you can see this", follow-ups). HTML strings only; the
// page (page-state.js, replies.js) owns which messages there are and in what state.
import { renderComponents } from './components.js';
import { calendarTime, escapeHtml, renderEmbed, renderMarkdown } from './render.js';

const EYE =
  '<svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 5C5.6 5 2 12 2 12s3.6 7 10 7 10-7 10-7-3.6-7-10-7Zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8Zm0-2.2a1.8 1.8 0 1 0 0-3.6 1.8 1.8 0 0 0 0 3.6Z"/></svg>';
const AVATAR_COLOURS = ['#5865f2', '#757e8a', '#3ba55c', '#faa61a', '#ed4245', '#eb459f'];

/** `names` resolves mentions (see render.js); `applicationId()` is the bot's user id. */
export function createMessageDrawing({ names, applicationId }) {
  const md = (text) => renderMarkdown(text, names);

  function avatar(id, label, size = 40) {
    const colour = AVATAR_COLOURS[Number(BigInt(id) % BigInt(AVATAR_COLOURS.length))];
    const initial = escapeHtml((label || '?').slice(0, 1).toUpperCase());
    return `<div class="avatar" style="background:${colour};width:${size}px;height:${size}px">${initial}</div>`;
  }

  /** The message's content, embeds and buttons; `key` names it for clicks. */
  function body(message, key) {
    const parts = [];
    if (message.content) parts.push(`<div class="content">${md(message.content)}</div>`);
    for (const embed of message.embeds ?? []) parts.push(renderEmbed(embed, names));
    parts.push(renderComponents(message.components));
    return `<div class="message-body" data-message-key="${escapeHtml(key)}">${parts.join('')}</div>`;
  }

  function replyContent(reply, ephemeral) {
    if (reply.state === 'sending') return '<div class="thinking">Sending</div>';
    if (reply.state === 'failed') return `<div class="error-box">${escapeHtml(reply.error)}</div>`;
    if (!reply.message) return '<div class="thinking">Lockdown is thinking</div>';
    const parts = [body(reply.message, `reply:${reply.key}`)];
    if (ephemeral) parts.push(`<div class="ephemeral-note">${EYE}Only you can see this</div>`);
    return parts.join('');
  }

  return {
    avatar,
    body,

    /** A message kept in a channel (`extraClass` names the pane's kind of message). */
    stored(message, extraClass) {
      // A member's message shows their server name; a webhook's, the name it posted under.
      const name =
        (!message.webhook_id && message.author && names.userName(message.author.id)) ||
        message.author?.username ||
        'webhook';
      const edited = message.edited_timestamp ? '<span class="edited">(edited)</span>' : '';
      // Discord tags an app's own messages APP, and a webhook's BOT.
      const tag =
        message.author?.id === applicationId()
          ? '<span class="tag">APP</span>'
          : message.author?.bot || message.webhook_id
            ? '<span class="tag">BOT</span>'
            : '';
      return `<div class="message ${extraClass}" data-id="${message.id}">${avatar(message.author?.id ?? '0', name)}<div>
        <div class="message-head"><span class="author">${escapeHtml(name)}</span>${tag}<span class="when"><time class="calendar" datetime="${message.timestamp}">${escapeHtml(calendarTime(new Date(message.timestamp)))}</time></span>${edited}</div>
        ${body(message, `stored:${message.id}`)}</div></div>`;
    },

    /** A reply to an interaction of this page's, with who used what, and its follow-ups. */
    reply(reply, ephemeral) {
      const app = applicationId();
      const who = names.userName(reply.invokerId) ?? 'someone';
      const followups = reply.followups
        .map(
          (f) =>
            `<div class="message">${avatar(app, 'L')}<div><div class="message-head"><span class="author">Lockdown</span><span class="tag">APP</span></div>${body(f, `followup:${reply.key}:${f.id}`)}</div></div>`,
        )
        .join('');
      return `<div class="reply" data-state="${reply.state}" data-token="${escapeHtml(reply.token ?? '')}">
        <div class="message">${avatar(app, 'L')}<div>
          <div class="used">↳ <span>${escapeHtml(who)} ${reply.verb}</span> <span class="command-name">${escapeHtml(reply.use)}</span></div>
          <div class="message-head"><span class="author">Lockdown</span><span class="tag">APP</span><span class="when">${escapeHtml(calendarTime(reply.sentAt))}</span>${reply.message?.edited_timestamp ? '<span class="edited">(edited)</span>' : ''}</div>
          <div class="reply-body">${replyContent(reply, ephemeral)}</div>
        </div></div>${followups}</div>`;
    },
  };
}
