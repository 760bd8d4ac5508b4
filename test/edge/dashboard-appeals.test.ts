// The dashboard's appeals queue in workerd, signed in through the real Login with Discord, with
// appeals made the real way (ban → Appeal in the DM → the modal): the queue lists pending appeals
// oldest first, then decided ones; Accept from the page unbans once at the stand-in through the
// same decision as the mod-log button (a second Accept, from either, is refused); Deny tells the
// user by DM and the page says when the DM failed; Timeout Members reads without buttons and gets
// 403 on a decision; another server's appeal is a 404; a POST without the CSRF token is refused.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { appeals } from '../../db/schema.ts';
import { appealed, appealRows, decide, dmOf } from '../support/appeals.ts';
import { getPage as get, pageHtml as page, signIn, WORKER } from '../support/dashboard.ts';
import {
  callWorker,
  casesOf,
  discordGuildState,
  discordRequests,
  putGuild,
  seedGuild,
  seedUser,
  snowflake,
  streamEventsOf,
  type TestGuild,
  testDatabase,
  testGuildSeed,
} from '../support/edge.ts';

const queue = (guild: TestGuild) => `/dashboard/guilds/${guild.guildId}/appeals`;

/** POSTs a decision from the page's form: the session cookie, the form's token, our Origin. */
function post(guild: TestGuild, appealId: string, verb: string, session: { cookie: string; csrf?: string }) {
  return callWorker(
    new Request(`${WORKER}${queue(guild)}/${appealId}/${verb}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: session.cookie,
        origin: WORKER,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: session.csrf === undefined ? '' : `_csrf=${session.csrf}`,
    }),
  );
}

const unbanRequests = async (guild: TestGuild) =>
  (await discordRequests(`/guilds/${guild.guildId}/bans/${guild.targetId}`)).filter(
    (r) => r.method === 'DELETE',
  );

/** The appeal's article on the page. */
function articleOf(html: string, appealId: string): string {
  const start = html.indexOf(`id="appeal-${appealId}"`);
  if (start < 0) throw new Error(`appeal ${appealId} is not on the page`);
  return html.slice(start, html.indexOf('</article>', start));
}

describe('the appeals queue', () => {
  it('lists a pending appeal with its ban case, reason and text (escaped, line breaks kept), with Accept and Deny', async () => {
    const text = 'I was hacked.\n<script>alert(1)</script> & sorry';
    const { guild, ban, appeal } = await appealed(text);
    const session = await signIn(guild, guild.moderatorId);
    const html = await page(queue(guild), session.cookie);
    expect(html).toContain('aria-current="page">Appeals</a>');
    const article = articleOf(html, appeal.id);
    expect(article).toContain(guild.targetId);
    expect(article).toContain(
      `<a href="/dashboard/guilds/${guild.guildId}/cases/${ban.caseNumber}">#${ban.caseNumber}</a>`,
    );
    expect(article).toContain('Spam');
    expect(article).toContain(
      '<blockquote>I was hacked.\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; sorry</blockquote>',
    );
    expect(html).not.toContain('<script>');
    expect(article).toContain(`action="${queue(guild)}/${appeal.id}/accept"`);
    expect(article).toContain(`action="${queue(guild)}/${appeal.id}/deny"`);
    expect(article).toContain(`name="_csrf" value="${session.csrf}"`);
    expect(html).toContain('No appeal has been decided.');
    expect(await page(`${queue(guild)}?state=decided`, session.cookie)).not.toContain(appeal.id);
    const bad = await get(`${queue(guild)}?state=everything`, session.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain(appeal.id);
  });

  it('Accept unbans once at the stand-in, linked to the appeal; a second Accept from the page or the mod-log is refused', async () => {
    const { guild, ban, appeal } = await appealed();
    const session = await signIn(guild, guild.moderatorId);
    const accepted = await post(guild, appeal.id, 'accept', session);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe(`${queue(guild)}?notice=accepted`);
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(0);
    expect(await unbanRequests(guild)).toHaveLength(1);
    const unbans = (await casesOf(guild.guildId)).filter((c) => c.action === 'unban');
    expect(unbans).toHaveLength(1);
    expect(unbans[0]).toMatchObject({
      moderatorId: guild.moderatorId,
      reason: `Appeal accepted (appeal ${appeal.id.slice(0, 8)})`,
    });
    expect((await casesOf(guild.guildId)).find((c) => c.id === ban.id)).toMatchObject({
      state: 'lifted',
      endedByCaseId: unbans[0]?.id,
    });
    expect((await appealRows(ban.id))[0]).toMatchObject({
      state: 'accepted',
      decidedBy: guild.moderatorId,
      decisionCaseId: unbans[0]?.id,
      dmDelivered: false,
    });
    const events = (await streamEventsOf(guild.guildId)).filter(
      (e) => e.eventType === 'audit:logged' && e.data.action === 'appeal.accepted',
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({
      appealId: appeal.id,
      appealEventId: appeal.eventId,
      dmDelivered: false,
    });

    const html = await page(`${queue(guild)}?notice=accepted`, session.cookie);
    expect(html).toContain('Appeal accepted: the ban was lifted.');
    expect(html).toContain('No appeal is waiting for a decision.');
    const article = articleOf(html, appeal.id);
    expect(article).toContain(`Accepted</strong> by ${guild.moderatorId}`);
    expect(article).toContain(`/cases/${unbans[0]?.caseNumber}">#${unbans[0]?.caseNumber}</a>`);
    expect(article).not.toContain('/accept"');
    // A notice key we did not write is not shown; nothing of the URL is.
    const forged = await page(`${queue(guild)}?notice=%3Cb%3Eforged-notice`, session.cookie);
    expect(forged).not.toContain('forged-notice');
    expect(forged).not.toContain('role="status"');

    const again = await post(guild, appeal.id, 'accept', session);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(
      `Appeal ${appeal.id.slice(0, 8)} was already accepted by @${guild.moderatorId}; nothing was done.`,
    );
    expect((await post(guild, appeal.id, 'deny', session)).status).toBe(409);
    expect((await decide(guild, `appeal:accept:${appeal.id}`)).data?.content).toMatch(/already accepted/);
    expect(await unbanRequests(guild)).toHaveLength(1);
    expect((await casesOf(guild.guildId)).filter((c) => c.action === 'unban')).toHaveLength(1);
  });

  it('a dashboard Accept after a mod-log Accept is refused, and nothing changes', async () => {
    const { guild, appeal } = await appealed();
    expect((await decide(guild, `appeal:accept:${appeal.id}`)).data?.content).toMatch(/accepted/);
    const session = await signIn(guild, guild.moderatorId);
    const again = await post(guild, appeal.id, 'accept', session);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already accepted');
    expect(await unbanRequests(guild)).toHaveLength(1);
  });

  it('Deny keeps the ban and tells the user by DM, and the page says so', async () => {
    const { guild, ban, appeal } = await appealed();
    // The user still shares another server with the bot, so Discord delivers the DM.
    const other = await seedGuild();
    await putGuild(other.guildId, testGuildSeed({ ...other, targetId: guild.targetId }));
    const session = await signIn(guild, guild.moderatorId);
    const denied = await post(guild, appeal.id, 'deny', session);
    expect(denied.status).toBe(303);
    expect(denied.headers.get('location')).toBe(`${queue(guild)}?notice=denied`);
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toEqual([guild.targetId]);
    const { messages } = await dmOf(guild.targetId);
    expect(JSON.stringify(messages.at(-1)?.embeds)).toContain('Your appeal in Test Server was denied');
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'denied', dmDelivered: true });
    const article = articleOf(await page(queue(guild), session.cookie), appeal.id);
    expect(article).toContain('Denied</strong>');
    expect(article).toContain('Told by DM');
    expect(article).not.toContain('Unban case');
  });

  it('says when the user could not be told by DM', async () => {
    const { guild, appeal } = await appealed();
    const session = await signIn(guild, guild.moderatorId);
    expect((await post(guild, appeal.id, 'deny', session)).status).toBe(303);
    const article = articleOf(await page(`${queue(guild)}?state=decided`, session.cookie), appeal.id);
    expect(article).toContain('Could not be told by DM');
    expect(article).toContain('class="dm-failed"');
  });

  it('shows the queue without buttons to Timeout Members without Ban Members, and refuses their decision with 403', async () => {
    const { guild, ban, appeal } = await appealed();
    const helperId = snowflake();
    const seed = testGuildSeed(guild);
    const helperRole = snowflake();
    seed.roles.push({
      id: helperRole,
      name: 'helper',
      position: 3,
      permissions: String(PermissionFlagsBits.ModerateMembers),
    });
    seed.members.push({ user: seedUser(helperId, 'helper'), roles: [helperRole] });
    // The target was banned: they are no longer a member.
    seed.members = seed.members.filter((m) => m.user.id !== guild.targetId);
    await putGuild(guild.guildId, seed);
    const session = await signIn(guild, helperId);
    const html = await page(queue(guild), session.cookie);
    const article = articleOf(html, appeal.id);
    expect(article).not.toContain('<form');
    expect(html).toContain('Only moderators with the Ban Members permission decide appeals.');
    for (const verb of ['accept', 'deny']) {
      const refused = await post(guild, appeal.id, verb, session);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Ban Members');
    }
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'pending', decidedBy: null });
    expect(await unbanRequests(guild)).toHaveLength(0);
  });

  it("answers 404 for another server's appeal and for what is no appeal id; 403 without the CSRF token", async () => {
    const { guild, ban, appeal } = await appealed();
    const elsewhere = await seedGuild();
    const there = await signIn(elsewhere, elsewhere.moderatorId);
    const foreign = await post(elsewhere, appeal.id, 'accept', there);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain('That appeal does not exist in this server');
    expect(await page(queue(elsewhere), there.cookie)).not.toContain(appeal.id);
    const session = await signIn(guild, guild.moderatorId);
    for (const id of ['not-an-id', appeal.id.toUpperCase(), `${appeal.id}x`]) {
      expect((await post(guild, id, 'accept', session)).status, id).toBe(404);
    }
    expect((await post(guild, appeal.id, 'accept', { cookie: session.cookie })).status).toBe(403);
    expect((await post(guild, appeal.id, 'accept', { cookie: session.cookie, csrf: 'wrong' })).status).toBe(
      403,
    );
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'pending', decidedBy: null });
    expect(await unbanRequests(guild)).toHaveLength(0);
  });

  it('pages decided appeals newest first, behind the pending ones oldest first', async () => {
    const { guild, appeal } = await appealed();
    const session = await signIn(guild, guild.moderatorId);
    // Decided appeals of earlier bans, written straight to the table (a user may appeal 3 a day).
    const base = Date.parse('2026-01-01T00:00:00Z');
    const decided = Array.from({ length: 27 }, (_, i) => ({
      id: crypto.randomUUID(),
      guildId: guild.guildId,
      caseId: crypto.randomUUID(),
      userId: snowflake(),
      text: `old appeal ${i}`,
      state: 'denied' as const,
      decidedBy: guild.moderatorId,
      decidedAt: new Date(base + i * 60_000),
      dmDelivered: true,
      eventId: crypto.randomUUID(),
      createdAt: new Date(base - 60_000),
    }));
    await testDatabase().insert(appeals).values(decided);
    const older = {
      ...decided[0]!,
      id: crypto.randomUUID(),
      caseId: crypto.randomUUID(),
      state: 'pending' as const,
      decidedBy: null,
      decidedAt: null,
      dmDelivered: null,
      text: 'older pending',
    };
    await testDatabase().insert(appeals).values(older);
    const first = await page(queue(guild), session.cookie);
    const order = [...first.matchAll(/id="appeal-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    const newest = [...decided].reverse().map((d) => d.id);
    expect(order).toEqual([older.id, appeal.id, ...newest.slice(0, 25)]);
    const more = /<a rel="next" href="([^"]+)">More decided appeals/
      .exec(first)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(more).toBeDefined();
    const second = await page(more as string, session.cookie);
    expect([...second.matchAll(/id="appeal-([0-9a-f-]{36})"/g)].map((m) => m[1])).toEqual(newest.slice(25));
    expect(second).not.toContain('rel="next"');
    expect((await get(`${queue(guild)}?before=12_x`, session.cookie)).status).toBe(400);
  });
});
