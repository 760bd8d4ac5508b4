// The one layout every dashboard page is drawn in: Discord's dark palette, readable on a phone (a
// viewport, one column below 640 px), no framework, no external fonts or scripts — the CSS is
// inline, so a page is one response. The header carries the logout form with the session's
// anti-CSRF token (POST /dashboard/logout).
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { hasPermission, type PermissionName } from '../../../shared/permissions.ts';
import type { DashboardGuild } from '../context.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Who is signed in, as the header shows them. */
export interface LayoutUser {
  name: string;
  csrfToken: string;
}

const styles = `
:root { color-scheme: dark; }
* { box-sizing: border-box; }
body { margin: 0; background: #313338; color: #f2f3f5; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: #00a8fc; text-decoration: none; } a:hover { text-decoration: underline; }
header { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 10px 20px; background: #1e1f22; }
header .brand { color: #f2f3f5; font-weight: 700; }
header form { display: flex; align-items: center; gap: 10px; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 20px; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 10px; }
.panel { background: #2b2d31; border-radius: 8px; padding: 16px; margin-bottom: 16px; }
.muted { color: #b5bac1; }
.error { background: #2b2d31; border-left: 4px solid #f23f43; padding: 12px 16px; border-radius: 4px; }
button, .button { background: #5865f2; color: #fff; border: 0; border-radius: 4px; padding: 7px 14px; font: inherit; cursor: pointer; }
button.secondary { background: #4e5058; }
input, select { background: #1e1f22; color: #f2f3f5; border: 1px solid #1e1f22; border-radius: 4px; padding: 6px 8px; font: inherit; width: 100%; }
.filters { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; align-items: end; }
.filters label { display: block; font-size: 12px; text-transform: uppercase; color: #b5bac1; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px; border-bottom: 1px solid #3f4147; vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; color: #b5bac1; }
td.reason { overflow-wrap: anywhere; }
.deleted { opacity: 0.6; } .deleted .reason { text-decoration: line-through; }
.guild-nav { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; margin-bottom: 16px; }
.guild-nav .crumbs { flex: 1 1 100%; }
.guild-nav a.tab { color: #b5bac1; padding: 4px 0; border-bottom: 2px solid transparent; }
.guild-nav a.tab[aria-current="page"] { color: #f2f3f5; border-bottom-color: #5865f2; }
.pager { display: flex; justify-content: space-between; margin-top: 12px; }
.guilds { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }
.guilds a { display: flex; align-items: center; gap: 12px; background: #2b2d31; border-radius: 8px; padding: 12px; color: #f2f3f5; }
.guilds img, .guilds .initials { width: 48px; height: 48px; border-radius: 50%; flex: none; }
.guilds .initials { display: flex; align-items: center; justify-content: center; background: #5865f2; font-weight: 700; }
dl.fields { display: grid; grid-template-columns: 180px 1fr; gap: 8px 16px; margin: 0; }
dl.fields dt { color: #b5bac1; } dl.fields dd { margin: 0; overflow-wrap: anywhere; }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid #4e5058; white-space: pre-wrap; overflow-wrap: anywhere; }
.decide { display: flex; gap: 8px; margin-top: 8px; } .decide form { margin: 0; }
button.danger { background: #da373c; }
.dm-failed { color: #f23f43; } .outcome-accepted { color: #23a55a; } .outcome-denied { color: #f23f43; }
.notice { background: #2b2d31; border-left: 4px solid #23a55a; padding: 12px 16px; border-radius: 4px; }
textarea { background: #1e1f22; color: #f2f3f5; border: 1px solid #1e1f22; border-radius: 4px; padding: 6px 8px; font: inherit; width: 100%; resize: vertical; }
.settings-form { display: grid; gap: 8px; margin: 12px 0; max-width: 640px; }
.settings-form label { font-size: 12px; text-transform: uppercase; color: #b5bac1; }
.settings-form button { justify-self: start; }
td form { margin: 0; }
code { background: #1e1f22; padding: 1px 4px; border-radius: 3px; }
svg.chart { display: block; max-width: 100%; height: auto; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 8px 0; font-size: 13px; }
.legend svg { vertical-align: -1px; }
details summary { cursor: pointer; color: #b5bac1; margin-top: 8px; }
ul.in-force { padding-left: 32px; }
@media (max-width: 640px) {
  main { padding: 12px; }
  .filters { grid-template-columns: 1fr 1fr; }
  dl.fields { grid-template-columns: 1fr; } dl.fields dd { margin-bottom: 6px; }
  table thead { display: none; }
  table, tbody, tr, td { display: block; width: 100%; }
  tr { border-bottom: 1px solid #3f4147; padding: 6px 0; } td { border: 0; padding: 2px 0; }
  td[data-label]::before { content: attr(data-label) ": "; color: #b5bac1; }
}`;

/** A whole page: the title, the header (with logout when someone is signed in) and the body. */
export function layout(title: string, user: LayoutUser | null, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · Lockdown</title>
<style>${raw(styles)}</style>
</head>
<body>
<header>
<a class="brand" href="/dashboard">Lockdown</a>
${
  user
    ? html`<form method="post" action="/dashboard/logout">
<span class="muted">${user.name}</span>
<input type="hidden" name="_csrf" value="${user.csrfToken}">
<button type="submit" class="secondary">Log out</button>
</form>`
    : ''
}
</header>
<main>
${body}
</main>
</body>
</html>`;
}

/** The parts of a server every page has; a tab shows only if the user holds its permission. */
export const guildTabs = [
  { key: 'cases', label: 'Cases', path: 'cases', permission: 'MODERATE_MEMBERS' },
  { key: 'activity', label: 'Activity', path: 'activity', permission: 'MODERATE_MEMBERS' },
  { key: 'appeals', label: 'Appeals', path: 'appeals', permission: 'MODERATE_MEMBERS' },
  { key: 'settings', label: 'Settings', path: 'settings', permission: 'MANAGE_GUILD' },
] as const satisfies readonly { key: string; label: string; path: string; permission: PermissionName }[];

export type GuildTab = (typeof guildTabs)[number]['key'];

/** The server's breadcrumb (`trail` after its name, e.g. a case) and its tabs, `current` marked. */
export function guildNav(
  guild: Pick<DashboardGuild, 'id' | 'name' | 'permissions'>,
  current: GuildTab | null,
  trail?: Html | string,
): Html {
  const base = `/dashboard/guilds/${encodeURIComponent(guild.id)}`;
  const tabs = guildTabs
    .filter((tab) => hasPermission(guild.permissions, tab.permission))
    .map(
      (tab) =>
        html`<a class="tab" href="${base}/${tab.path}"${tab.key === current ? html` aria-current="page"` : ''}>${tab.label}</a>`,
    );
  return html`<nav class="guild-nav" aria-label="Server"><p class="muted crumbs"><a href="/dashboard">Servers</a> › ${trail ? html`<a href="${base}/cases">${guild.name}</a> › ${trail}` : guild.name}</p>${tabs}</nav>`;
}

/** A page that only says what went wrong (400, 403, 404). */
export function messagePage(title: string, user: LayoutUser | null, message: string): Html {
  return layout(
    title,
    user,
    html`<h1>${title}</h1><p class="error">${message}</p><p><a href="/dashboard">Back to your servers</a></p>`,
  );
}
