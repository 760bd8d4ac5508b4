// Renders Discord message text and embeds the way Discord's client shows them: markdown (bold,
// italics, underline, strikethrough, code, masked links), mentions (<@id> as @name, <@&id> as @role,
// <#id> as #channel), timestamps (<t:unix:style>, R kept live), and embeds with their colour bar,
// title, description, fields in Discord's inline grid, footer and timestamp. Plain functions that
// return HTML strings; no DOM needed, so they are easy to reason about (and to run anywhere).

/** @typedef {{ userName(id: string): string | null, roleName(id: string): string | null, channelName(id: string): string | null }} Names */

export function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const LOCALE = 'en-US';
const timeShort = new Intl.DateTimeFormat(LOCALE, { hour: 'numeric', minute: '2-digit' });
const timeLong = new Intl.DateTimeFormat(LOCALE, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const dateShort = new Intl.DateTimeFormat(LOCALE, { month: '2-digit', day: '2-digit', year: 'numeric' });
const dateLong = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long' });
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'short' });
const dateTimeFull = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'full', timeStyle: 'short' });

/** Discord's relative time ("in a minute", "3 hours ago"), with moment.js thresholds as Discord uses. */
export function relativeTime(date, now = new Date()) {
  const ms = date.getTime() - now.getTime();
  const future = ms > 0;
  const s = Math.abs(ms) / 1000;
  const m = s / 60;
  const h = m / 60;
  const d = h / 24;
  let phrase;
  if (s < 45) phrase = 'a few seconds';
  else if (s < 90) phrase = 'a minute';
  else if (m < 45) phrase = `${Math.round(m)} minutes`;
  else if (m < 90) phrase = 'an hour';
  else if (h < 22) phrase = `${Math.round(h)} hours`;
  else if (h < 36) phrase = 'a day';
  else if (d < 26) phrase = `${Math.round(d)} days`;
  else if (d < 45) phrase = 'a month';
  else if (d < 320) phrase = `${Math.round(d / 30.4)} months`;
  else if (d < 548) phrase = 'a year';
  else phrase = `${Math.round(d / 365)} years`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

/** A `<t:unix:style>` timestamp as Discord shows it (default style f). */
export function formatTimestamp(date, style = 'f', now = new Date()) {
  switch (style) {
    case 't':
      return timeShort.format(date);
    case 'T':
      return timeLong.format(date);
    case 'd':
      return dateShort.format(date);
    case 'D':
      return dateLong.format(date);
    case 'F':
      return dateTimeFull.format(date);
    case 'R':
      return relativeTime(date, now);
    default:
      return dateTime.format(date);
  }
}

/** An embed's or message's timestamp: "Today at 4:07 AM", "Yesterday at …", else "11/27/2026 4:07 AM". */
export function calendarTime(date, now = new Date()) {
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((day(now) - day(date)) / 86_400_000);
  if (diff === 0) return `Today at ${timeShort.format(date)}`;
  if (diff === 1) return `Yesterday at ${timeShort.format(date)}`;
  return `${dateShort.format(date)} ${timeShort.format(date)}`;
}

/** The HTML for a timestamp that the page keeps up to date (see refreshTimes). */
export function timestampHtml(unixSeconds, style = 'f', now = new Date()) {
  const date = new Date(unixSeconds * 1000);
  return `<time class="ts" data-unix="${unixSeconds}" data-style="${style}" datetime="${date.toISOString()}" title="${escapeHtml(dateTimeFull.format(date))}">${escapeHtml(formatTimestamp(date, style, now))}</time>`;
}

const TOKENS =
  /```(?:[a-z0-9+-]*\n)?([\s\S]*?)```|(`+)([\s\S]*?[^`])\2(?!`)|<(@!?|@&|#)(\d{1,21})>|<t:(-?\d{1,13})(?::([tTdDfFR]))?>|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<]+[^\s<.,:;"')\]])/g;

function inlineFormatting(escaped) {
  return escaped
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/__(?=\S)([\s\S]*?\S)__/g, '<u>$1</u>')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<s>$1</s>')
    .replace(/\*(?=\S)([^*]*?\S)\*/g, '<em>$1</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<em>$2</em>');
}

/**
 * Discord markdown to HTML. Mentions become `@name` (never a ping), timestamps live `<time>`s.
 * @param {string} text
 * @param {Names} names
 */
export function renderMarkdown(text, names, now = new Date()) {
  if (!text) return '';
  const pieces = [];
  const placeholder = (html) => {
    pieces.push(html);
    return `\uE000${pieces.length - 1}\uE000`;
  };
  const marked = String(text).replace(
    TOKENS,
    (_all, block, _ticks, code, kind, id, unix, style, linkText, linkUrl, bareUrl) => {
      if (block !== undefined)
        return placeholder(`<pre class="code-block"><code>${escapeHtml(block)}</code></pre>`);
      if (code !== undefined) return placeholder(`<code class="inline">${escapeHtml(code.trim())}</code>`);
      if (kind !== undefined) {
        if (kind === '#') {
          const name = names.channelName(id);
          return placeholder(
            `<span class="mention mention-channel" data-id="${id}">#${escapeHtml(name ?? 'unknown-channel')}</span>`,
          );
        }
        if (kind === '@&') {
          const name = names.roleName(id);
          return placeholder(
            `<span class="mention mention-role" data-id="${id}">@${escapeHtml(name ?? 'unknown-role')}</span>`,
          );
        }
        const name = names.userName(id);
        return placeholder(
          `<span class="mention mention-user" data-id="${id}">@${escapeHtml(name ?? 'unknown-user')}</span>`,
        );
      }
      if (unix !== undefined) return placeholder(timestampHtml(Number(unix), style ?? 'f', now));
      if (linkText !== undefined) {
        return placeholder(
          `<a href="${escapeHtml(linkUrl)}" target="_blank" rel="noreferrer">${inlineFormatting(escapeHtml(linkText))}</a>`,
        );
      }
      return placeholder(
        `<a href="${escapeHtml(bareUrl)}" target="_blank" rel="noreferrer">${escapeHtml(bareUrl)}</a>`,
      );
    },
  );
  const html = inlineFormatting(escapeHtml(marked)).replace(/\n/g, '<br>');
  return html.replace(/\uE000(\d+)\uE000/g, (_m, i) => pieces[Number(i)]);
}

/**
 * Discord's field grid: inline fields share a row, three at most; a field that is not inline has a
 * row of its own. Returns rows of fields, each with its grid columns (of 12).
 */
export function fieldRows(fields) {
  const rows = [];
  for (const field of fields ?? []) {
    const row = rows.at(-1);
    if (field.inline && row?.inline && row.fields.length < 3) row.fields.push(field);
    else rows.push({ inline: Boolean(field.inline), fields: [field] });
  }
  return rows.map((row) => {
    const span = 12 / row.fields.length;
    return row.fields.map((field, i) => ({ field, column: `${1 + i * span} / ${1 + (i + 1) * span}` }));
  });
}

export function colourHex(colour) {
  return typeof colour === 'number' ? `#${colour.toString(16).padStart(6, '0')}` : null;
}

/** One embed as Discord draws it. */
export function renderEmbed(embed, names, now = new Date()) {
  const md = (text) => renderMarkdown(text, names, now);
  const colour = colourHex(embed.color);
  const parts = [];
  if (embed.author?.name) parts.push(`<div class="embed-author">${escapeHtml(embed.author.name)}</div>`);
  if (embed.title) {
    const title = md(embed.title);
    parts.push(
      `<div class="embed-title">${embed.url ? `<a href="${escapeHtml(embed.url)}" target="_blank" rel="noreferrer">${title}</a>` : title}</div>`,
    );
  }
  if (embed.description) parts.push(`<div class="embed-description">${md(embed.description)}</div>`);
  const rows = fieldRows(embed.fields);
  if (rows.length > 0) {
    const cells = rows
      .flat()
      .map(
        ({ field, column }) =>
          `<div class="embed-field${field.inline ? ' inline' : ''}" style="grid-column: ${column}"><div class="embed-field-name">${md(field.name)}</div><div class="embed-field-value">${md(field.value)}</div></div>`,
      )
      .join('');
    parts.push(`<div class="embed-fields">${cells}</div>`);
  }
  const footer = [];
  if (embed.footer?.text) footer.push(`<span>${escapeHtml(embed.footer.text)}</span>`);
  if (embed.timestamp) {
    const date = new Date(embed.timestamp);
    footer.push(
      `<time class="calendar" datetime="${date.toISOString()}" title="${escapeHtml(dateTimeFull.format(date))}">${escapeHtml(calendarTime(date, now))}</time>`,
    );
  }
  if (footer.length > 0)
    parts.push(`<div class="embed-footer">${footer.join('<span class="dot">•</span>')}</div>`);
  const style = colour ? ` style="border-left-color: ${colour}"` : '';
  return `<article class="embed"${style} data-colour="${colour ?? ''}">${parts.join('')}</article>`;
}

/** Keeps live timestamps live: re-renders every `<time class="ts">` (relative ones change) and calendar times. */
export function refreshTimes(root, now = new Date()) {
  for (const el of root.querySelectorAll('time.ts')) {
    const text = formatTimestamp(new Date(Number(el.dataset.unix) * 1000), el.dataset.style, now);
    if (el.textContent !== text) el.textContent = text;
  }
  for (const el of root.querySelectorAll('time.calendar')) {
    const text = calendarTime(new Date(el.getAttribute('datetime')), now);
    if (el.textContent !== text) el.textContent = text;
  }
}
