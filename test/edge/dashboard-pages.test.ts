// The dashboard's pages in workerd, signed in through the real Login with Discord against the
// stand-in: the picker lists only servers where the user holds Timeout Members; the cases page
// filters (member, action, dates), pages both ways, and its links reproduce it; a bad query is a
// 400; a member without the permission gets 403 on every guild URL; another server's case number
// is a 404; a hostile reason is escaped; a case shows its edits, evidence and mod-log link.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { caseEdits, cases, guilds } from '../../db/schema.ts';
import { PAGE_CSP } from '../../functions/dashboard/pages/page-kit.ts';
import {
  getPage as get,
  caseNumbersOf as numbersOf,
  pageHtml as page,
  signIn,
} from '../support/dashboard.ts';
import { putGuild, seedGuild, seedUser, snowflake, testDatabase, testGuildSeed } from '../support/edge.ts';
import { range, seedCases } from './case-read-helpers.ts';

/** The path of the page's Previous or Next link (as the browser reads the attribute). */
function linkOf(html: string, rel: 'prev' | 'next'): string | null {
  const href = new RegExp(`<a rel="${rel}" href="([^"]+)"`).exec(html)?.[1];
  return href ? href.replaceAll('&amp;', '&') : null;
}

describe('dashboard pages', () => {
  it('the server picker lists only the servers where the user holds Timeout Members', async () => {
    const mine = await seedGuild();
    const other = await seedGuild();
    // In the other server the same user is a plain member (no permission at all).
    const seed = testGuildSeed(other);
    seed.members.push({ user: seedUser(mine.moderatorId, 'moderator'), roles: [other.roles.member] });
    await putGuild(other.guildId, seed);
    await testDatabase().insert(guilds).values({ guildId: other.guildId }).onConflictDoNothing();
    const { cookie } = await signIn(mine, mine.moderatorId);
    const html = await page('/dashboard', cookie);
    expect(html).toContain(`href="/dashboard/guilds/${mine.guildId}/cases"`);
    expect(html).not.toContain(other.guildId);
    expect((await get(`/dashboard/guilds/${other.guildId}/cases`, cookie)).status).toBe(403);
  });

  it('filters by member and action, pages both ways, and a link with the filters reproduces the page', async () => {
    const guild = await seedGuild();
    const member = snowflake();
    await seedCases(
      guild,
      range(1, 120).map((n) => ({
        userId: n % 2 === 0 ? member : snowflake(),
        action: n % 3 === 0 ? 'ban' : 'warn',
      })),
    );
    const { cookie } = await signIn(guild, guild.moderatorId);
    const expected = range(1, 120)
      .filter((n) => n % 2 === 0 && n % 3 !== 0)
      .reverse();
    const base = `/dashboard/guilds/${guild.guildId}/cases?member=${member}&action=warn`;
    const first = await page(base, cookie);
    expect(numbersOf(first)).toEqual(expected.slice(0, 25));
    expect(linkOf(first, 'prev')).toBeNull();
    const next = linkOf(first, 'next');
    expect(next).toBe(`${base}&before=${expected[24]}`);

    const second = await page(next as string, cookie);
    expect(numbersOf(second)).toEqual(expected.slice(25));
    expect(linkOf(second, 'next')).toBeNull();
    expect(await page(next as string, cookie)).toBe(second);
    const back = await page(linkOf(second, 'prev') as string, cookie);
    expect(numbersOf(back)).toEqual(expected.slice(0, 25));
    expect(linkOf(back, 'prev')).toBeNull();

    const all = await page(`/dashboard/guilds/${guild.guildId}/cases`, cookie);
    expect(numbersOf(all)).toEqual(range(96, 120).reverse());
  });

  it('filters a date range (whole UTC days, To inclusive) and refuses a bad query with 400 and nothing else', async () => {
    const guild = await seedGuild();
    const days = [
      '2026-03-01T12:00:00Z',
      '2026-03-02T00:00:00Z',
      '2026-03-03T23:59:59Z',
      '2026-03-04T00:00:00Z',
    ];
    await seedCases(
      guild,
      days.map((at) => ({ userId: snowflake(), at: new Date(at) })),
    );
    const { cookie } = await signIn(guild, guild.moderatorId);
    const path = `/dashboard/guilds/${guild.guildId}/cases`;
    expect(numbersOf(await page(`${path}?from=2026-03-02&to=2026-03-03`, cookie))).toEqual([3, 2]);
    expect(numbersOf(await page(`${path}?from=2026-03-04`, cookie))).toEqual([4]);
    expect(await page(`${path}?to=2026-02-28`, cookie)).toContain('No cases match these filters.');

    for (const [query, message] of [
      ['action=explode', 'Action must be one of'],
      ['from=2026-13-01', 'From must be a date'],
      ['member=12', 'Member must be a Discord user id'],
      ['utm_source=x', 'Unknown parameter'],
    ] as const) {
      const response = await get(`${path}?${query}`, cookie);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain(message);
      expect(numbersOf(html)).toEqual([]);
      expect(html).not.toContain('<table>');
    }
  });

  it('answers 403 on every guild URL to a member without the permission', async () => {
    const guild = await seedGuild();
    await seedCases(guild, [{ userId: guild.targetId }]);
    const { cookie } = await signIn(guild, guild.targetId);
    expect(await page('/dashboard', cookie)).not.toContain(guild.guildId);
    for (const path of ['/cases', '/cases?action=ban', '/cases?action=explode', '/cases/1', '/cases/999']) {
      const response = await get(`/dashboard/guilds/${guild.guildId}${path}`, cookie);
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('reason 1');
    }
  });

  it("answers 404 for another server's case number and for what is no case number", async () => {
    const mine = await seedGuild();
    const other = await seedGuild();
    await seedCases(
      mine,
      range(1, 3).map(() => ({ userId: snowflake() })),
    );
    await seedCases(
      other,
      range(1, 10).map(() => ({ userId: snowflake() })),
    );
    const { cookie } = await signIn(mine, mine.moderatorId);
    for (const number of ['10', '0', 'abc', '99999999999']) {
      const response = await get(`/dashboard/guilds/${mine.guildId}/cases/${number}`, cookie);
      expect(response.status, number).toBe(404);
      expect(await response.text()).toContain('No such case');
    }
    expect(await page(`/dashboard/guilds/${mine.guildId}/cases/3`, cookie)).toContain('Case #3');
  });

  it('escapes a hostile reason, and a case shows its edits, evidence and mod-log link', async () => {
    const guild = await seedGuild();
    await seedCases(guild, [{ userId: guild.targetId }]);
    const db = testDatabase();
    const hostile = '<script>alert(1)</script> for <@123>';
    const modlogChannel = snowflake();
    const messageId = snowflake();
    const [row] = await db
      .update(cases)
      .set({
        reason: hostile,
        modlogMessageId: messageId,
        evidence: {
          messageId: snowflake(),
          channelId: guild.channelId,
          authorId: guild.targetId,
          content: '<img src=x onerror=alert(1)> spam',
          truncated: false,
          attachments: ['proof.png'],
          sentAt: '2026-03-01T00:00:00.000Z',
        },
      })
      .where(and(eq(cases.guildId, guild.guildId), eq(cases.caseNumber, 1)))
      .returning();
    await db.update(guilds).set({ modlogChannelId: modlogChannel }).where(eq(guilds.guildId, guild.guildId));
    await db.insert(caseEdits).values({
      id: crypto.randomUUID(),
      guildId: guild.guildId,
      caseId: row?.id as string,
      field: 'reason',
      oldValue: 'reason 1',
      newValue: hostile,
      editedBy: guild.seniorId,
      editedAt: new Date('2026-03-02T00:00:00Z'),
    });
    const { cookie } = await signIn(guild, guild.moderatorId);

    const list = await page(`/dashboard/guilds/${guild.guildId}/cases`, cookie);
    const one = await page(`/dashboard/guilds/${guild.guildId}/cases/1`, cookie);
    const response = await get(`/dashboard/guilds/${guild.guildId}/cases/1`, cookie);
    expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    for (const html of [list, one]) {
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; for @123');
    }
    expect(one).toContain(
      `href="https://discord.com/channels/${guild.guildId}/${modlogChannel}/${messageId}"`,
    );
    expect(one).toContain('<h2>Edit history</h2>');
    expect(one).toContain(guild.seniorId);
    expect(one).toContain('2026-03-02 00:00 UTC');
    expect(one).toContain('<h2>Evidence</h2>');
    expect(one).toContain('&lt;img src=x onerror=alert(1)&gt; spam');
    expect(one).not.toContain('<img src=x');
    expect(one).toContain('Attachments: proof.png');
  });
});
