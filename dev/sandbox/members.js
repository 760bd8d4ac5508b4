// The member list as Discord's sidebar shows it: grouped by highest role (the app apart, accounts of
// the newest simulated raid as "Just joined" with their join time), with the owner, timeouts and
// closed DMs noted, then the banned users; and the "run commands as" choices (raiders left out).
// HTML strings from the guild snapshot and `ctx`: {guild, applicationId, invokerId, raiders (a Set),
// avatar, shownName}.
import { escapeHtml, relativeTime } from './render.js';

/** Accounts that joined in the last ten minutes with no role, in the newest raid: a raid's look. */
const ARRIVAL_MS = 600_000;

export function highestRole(guild, member) {
  return (member.roles ?? [])
    .map((id) => guild.roles.find((r) => r.id === id))
    .filter(Boolean)
    .sort((a, b) => b.position - a.position)[0];
}

export function memberList(ctx, now = Date.now()) {
  const { guild, applicationId, invokerId, raiders, avatar, shownName } = ctx;
  const groups = new Map();
  for (const member of guild.members) {
    if (!member.user) continue;
    const id = member.user.id;
    const role = highestRole(guild, member);
    const joined = member.joined_at ? Date.parse(member.joined_at) : 0;
    const arrival = !role && id !== applicationId && now - joined < ARRIVAL_MS && raiders.has(id);
    const label = id === applicationId ? 'Apps' : arrival ? 'Just joined' : (role?.name ?? 'Online');
    const position = id === applicationId ? -2 : arrival ? -1 : (role?.position ?? 0);
    if (!groups.has(label)) groups.set(label, { position, items: [] });
    const timedOut =
      member.communication_disabled_until && Date.parse(member.communication_disabled_until) > now;
    const sub = [
      id === guild.ownerId ? 'server owner' : `@${member.user.username}`,
      arrival ? `joined ${relativeTime(new Date(joined), new Date(now))}` : '',
      timedOut
        ? `timed out until ${new Date(member.communication_disabled_until).toLocaleString('en-US')}`
        : '',
      guild.closedDms.includes(id) ? 'DMs closed' : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const name = shownName(member.user, member);
    groups
      .get(label)
      .items.push(
        `<div class="member${id === invokerId ? ' invoker' : ''}" data-user="${id}">${avatar(id, name, 32)}<div class="who"><div class="name">${escapeHtml(name)}${id === applicationId ? ' <span class="tag">APP</span>' : ''}${timedOut ? ` <span class="timed-out" title="${escapeHtml(`Timed out until ${new Date(member.communication_disabled_until).toLocaleString('en-US')}`)}">⏱</span>` : ''}</div><div class="sub">${escapeHtml(sub)}</div></div></div>`,
      );
  }
  const sections = [...groups.entries()]
    .sort((a, b) => b[1].position - a[1].position)
    .map(
      ([label, group]) =>
        `<div class="section"><div class="section-title">${escapeHtml(label)} — ${group.items.length}</div>${group.items.join('')}</div>`,
    );
  if (guild.bans.length > 0) {
    sections.push(
      `<div class="section"><div class="section-title">Banned — ${guild.bans.length}</div>${guild.bans
        .map(
          (b) =>
            `<div class="member banned" data-user="${b.user.id}">${avatar(b.user.id, shownName(b.user), 32)}<div class="who"><div class="name">${escapeHtml(shownName(b.user))}</div><div class="sub">${escapeHtml(b.reason ?? 'no reason')}</div></div></div>`,
        )
        .join('')}</div>`,
    );
  }
  return sections.join('');
}

/** The "run commands as" options: members but the app and the raid's accounts, with their rank. */
export function invokerOptions(ctx) {
  const { guild, applicationId, invokerId, raiders, shownName } = ctx;
  return guild.members
    .filter((m) => m.user && m.user.id !== applicationId && !raiders.has(m.user.id))
    .map((m) => {
      const role = highestRole(guild, m);
      const label = `${shownName(m.user, m)} — ${m.user.id === guild.ownerId ? 'owner' : (role?.name ?? 'no role')}`;
      return `<option value="${m.user.id}"${m.user.id === invokerId ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    })
    .join('');
}
