// The server picker: the servers the signed-in user may read cases in (Lockdown there, and their
// MODERATE_MEMBERS), with the icon Discord's CDN serves. Pure rendering.
import { html } from 'hono/html';
import type { DashboardGuild } from '../context.ts';
import { type Html, type LayoutUser, layout } from './layout.ts';

/** Discord's CDN address of a server icon (animated ones start `a_` and are served as gif). */
export function guildIconUrl(guild: Pick<DashboardGuild, 'id' | 'icon'>): string | null {
  if (!guild.icon) return null;
  const ext = guild.icon.startsWith('a_') ? 'gif' : 'png';
  return `https://cdn.discordapp.com/icons/${encodeURIComponent(guild.id)}/${encodeURIComponent(guild.icon)}.${ext}?size=96`;
}

/** The letters Discord shows for a server without an icon: "Lockdown Test" → "LT". */
export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((word) => Array.from(word)[0])
    .join('');
}

export function renderPicker(user: LayoutUser, guilds: readonly DashboardGuild[]): Html {
  const items = guilds.map((guild) => {
    const icon = guildIconUrl(guild);
    return html`<li><a href="/dashboard/guilds/${encodeURIComponent(guild.id)}/cases">${
      icon
        ? html`<img src="${icon}" alt="" width="48" height="48">`
        : html`<span class="initials">${initials(guild.name)}</span>`
    }<span>${guild.name}</span></a></li>`;
  });
  const body =
    guilds.length === 0
      ? html`<h1>Your servers</h1><p class="panel muted">No server to show: Lockdown must be in the server, and you need the Timeout Members permission there.</p>`
      : html`<h1>Your servers</h1><ul class="guilds">${items}</ul>`;
  return layout('Your servers', user, body);
}
