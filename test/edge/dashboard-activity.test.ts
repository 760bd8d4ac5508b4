// The dashboard's member page, member search by name and activity page in workerd, signed in
// through the real Login with Discord against the stand-in: a member's history (counts, what is in
// force, paged cases; an unknown member is an empty history); names learnt from an interaction's
// payload and from an audit-log page, then found by the cases page's Member filter and shown next
// to ids; the activity charts' numbers on seeded cases (31 days ago and deleted ones left out);
// 403 without Timeout Members; 400 for bad input.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, knownUsers } from '../../db/schema.ts';
import { syncGuild } from '../../functions/audit-sync/sync-guild.ts';
import { createServices } from '../../functions/services.ts';
import {
  getPage as get,
  caseNumbersOf as numbersOf,
  pageHtml as page,
  signIn,
} from '../support/dashboard.ts';
import {
  commandInteraction,
  inDiscordUi,
  putGuild,
  seedGuild,
  seedUser,
  sendInteraction,
  snowflake,
  stringOption,
  testDatabase,
  testGuildSeed,
  userOption,
  workerEnv,
} from '../support/edge.ts';
import { ago, range, seedCases } from './case-read-helpers.ts';

const unique = () => `n${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

/** A chart's bars (key, total) and its segments (key, action, count), read back from the SVG. */
function chartOf(html: string, id: string) {
  const start = html.indexOf(`<svg class="chart" id="${id}"`);
  if (start < 0) throw new Error(`no chart ${id}`);
  const svg = html.slice(start, html.indexOf('</svg>', start));
  const bars = [...svg.matchAll(/<g class="bar" data-key="([^"]+)" data-total="(\d+)">(.*?)<\/g>/gs)].map(
    (m) => ({
      key: m[1] as string,
      total: Number(m[2]),
      segments: [...(m[3] as string).matchAll(/data-action="(\w+)" data-count="(\d+)"/g)].map((s) => [
        s[1],
        Number(s[2]),
      ]),
    }),
  );
  return { svg, bars };
}

describe('dashboard: a member page', () => {
  it('shows counts, what is in force with its end, and the cases paged newest first; deleted ones left out', async () => {
    const guild = await seedGuild();
    const member = snowflake();
    await seedCases(guild, [
      ...range(1, 28).map((n) => ({ userId: n % 2 === 0 ? member : snowflake() })),
      { userId: member, action: 'mute' as const },
      { userId: member, action: 'ban' as const },
      { userId: member, action: 'kick' as const, deleted: true },
      ...range(1, 14).map(() => ({ userId: member })),
    ]);
    const ends = new Date('2030-01-02T03:04:00Z');
    await testDatabase()
      .update(cases)
      .set({ expiresAt: ends })
      .where(and(eq(cases.guildId, guild.guildId), eq(cases.caseNumber, 29)));
    const { cookie } = await signIn(guild, guild.moderatorId);
    const path = `/dashboard/guilds/${guild.guildId}/members/${member}`;
    const first = await page(path, cookie);
    // 14 + 14 warnings, a mute, a ban; the deleted kick is in no count and no list.
    expect(first).toContain('<h2>30 cases</h2>');
    expect(first).toContain('<dt>Ban</dt><dd>1</dd>');
    expect(first).toContain('<dt>Mute</dt><dd>1</dd>');
    expect(first).toContain('<dt>Warning</dt><dd>28</dd>');
    expect(first).not.toContain('<dt>Kick</dt>');
    expect(first).toContain('Ban — permanent (<a href');
    expect(first).toContain('— ends 2030-01-02 03:04 UTC (<a href');
    const expected = [
      ...range(32, 45).reverse(),
      30,
      29,
      ...range(1, 28)
        .filter((n) => n % 2 === 0)
        .reverse(),
    ];
    expect(numbersOf(first)).toEqual(expected.slice(0, 25));
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1];
    expect(next).toBe(`${path}?before=${expected[24]}`);
    expect(numbersOf(await page(next as string, cookie))).toEqual(expected.slice(25));

    const nobody = await page(`/dashboard/guilds/${guild.guildId}/members/${snowflake()}`, cookie);
    expect(nobody).toContain('<h2>0 cases</h2>');
    expect(nobody).toContain('Nothing in force.');
    expect(nobody).toContain('No cases for this member in this server.');

    // The cases page and a case link their member here.
    expect(await page(`/dashboard/guilds/${guild.guildId}/cases`, cookie)).toContain(
      `<a class="member" href="${path}">`,
    );
    expect(await page(`/dashboard/guilds/${guild.guildId}/cases/30`, cookie)).toContain(
      `<a class="member" href="${path}">`,
    );
  });
});

describe('dashboard: members by name', () => {
  it('finds a member by a name learnt from an interaction, and shows the names next to ids', async () => {
    const guild = await seedGuild();
    const name = unique();
    const interaction = commandInteraction({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'Rule 3')],
      resolve: [{ id: guild.targetId }],
    });
    const resolved = interaction.data.resolved?.users?.[guild.targetId];
    if (!resolved) throw new Error('no resolved user');
    Object.assign(resolved, { username: name, global_name: `Display ${name}` });
    const answered = await sendInteraction(interaction);
    expect(answered.status).toBe(200);
    const [known] = await testDatabase()
      .select()
      .from(knownUsers)
      .where(eq(knownUsers.userId, guild.targetId));
    expect(known).toMatchObject({ username: name, globalName: `Display ${name}` });

    // Another user wearing the same name prefix, with no case in this server, is not matched.
    await testDatabase()
      .insert(knownUsers)
      .values({ userId: snowflake(), username: `${name}x` });
    const { cookie } = await signIn(guild, guild.moderatorId);
    const base = `/dashboard/guilds/${guild.guildId}/cases`;
    for (const typed of [name.slice(0, 6).toUpperCase(), `display ${name.slice(0, 4)}`]) {
      const html = await page(`${base}?member=${encodeURIComponent(typed)}`, cookie);
      expect(html, typed).toContain('matched 1 member');
      expect(html).toContain(`Display ${name} (@${name})`);
      expect(numbersOf(html)).toEqual([1]);
    }
    const listed = await page(base, cookie);
    expect(listed).toContain(`Display ${name} (@${name}) <span class="muted">${guild.targetId}</span>`);
    // The moderator's name came with the same interaction (member.user).
    expect(listed).toContain(`@moderator <span class="muted">${guild.moderatorId}</span>`);
    expect(await page(`${base}/1`, cookie)).toContain(`Display ${name} (@${name})`);

    const none = await page(`${base}?member=zz${name}`, cookie);
    expect(none).toContain('No member of this server with cases is known by a name starting with');
    expect(numbersOf(none)).toEqual([]);
    // A LIKE wildcard is a character, not a pattern.
    expect(await page(`${base}?member=${encodeURIComponent('%')}`, cookie)).toContain(
      'No member of this server',
    );
  });

  it('finds a member by a name learnt from the audit log, and keeps the name through pages', async () => {
    const guild = await seedGuild();
    const name = unique();
    const banned = snowflake();
    const seed = testGuildSeed(guild);
    seed.members.push({
      user: { ...seedUser(banned, name), global_name: null },
      roles: [guild.roles.member],
    });
    await putGuild(guild.guildId, seed);
    const services = createServices(workerEnv(), { guildCache: new Map() });
    const options = { now: new Date(), pace: async () => {}, maxPages: 10 };
    await syncGuild(services, guild.guildId, options);
    await inDiscordUi(guild.guildId, {
      action: 'ban',
      actorId: guild.moderatorId,
      targetId: banned,
      reason: 'raid',
    });
    expect(await syncGuild(services, guild.guildId, { ...options, now: new Date() })).toMatchObject({
      recorded: 1,
    });
    const [known] = await testDatabase().select().from(knownUsers).where(eq(knownUsers.userId, banned));
    expect(known).toMatchObject({ username: name });

    const { cookie } = await signIn(guild, guild.moderatorId);
    const html = await page(`/dashboard/guilds/${guild.guildId}/cases?member=${name}&action=ban`, cookie);
    expect(html).toContain('matched 1 member');
    expect(numbersOf(html)).toEqual([1]);
    expect(html).toContain(`name="member" maxlength="32" value="${name}"`);
    expect(await page(`/dashboard/guilds/${guild.guildId}/members/${banned}`, cookie)).toContain(
      `<h1>@${name}`,
    );
  });

  it('pages the cases of every member a name matches, the filter kept in the links', async () => {
    const guild = await seedGuild();
    const name = unique();
    const [a, b] = [snowflake(), snowflake()];
    await testDatabase()
      .insert(knownUsers)
      .values([
        { userId: a, username: `${name}a` },
        { userId: b, username: 'other', globalName: `${name}B` },
      ]);
    await seedCases(
      guild,
      range(1, 60).map((n) => ({ userId: n % 4 === 0 ? a : n % 4 === 1 ? b : snowflake() })),
    );
    const { cookie } = await signIn(guild, guild.moderatorId);
    const base = `/dashboard/guilds/${guild.guildId}/cases?member=${name}`;
    const first = await page(base, cookie);
    expect(first).toContain('matched 2 members');
    const expected = range(1, 60)
      .filter((n) => n % 4 === 0 || n % 4 === 1)
      .reverse();
    expect(numbersOf(first)).toEqual(expected.slice(0, 25));
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe(`${base}&before=${expected[24]}`);
    const second = await page(next as string, cookie);
    expect(second).toContain('matched 2 members');
    expect(numbersOf(second)).toEqual(expected.slice(25));
  });
});

describe('dashboard: activity', () => {
  it('counts the last 30 UTC days per day and action and per moderator, leaving out older and deleted cases', async () => {
    const guild = await seedGuild();
    const other = snowflake();
    const today = new Date();
    const noon = (daysAgo: number) =>
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - daysAgo, 12));
    await seedCases(guild, [
      { userId: snowflake(), action: 'ban', at: noon(31) },
      { userId: snowflake(), action: 'warn', at: noon(29) },
      { userId: snowflake(), action: 'warn', at: noon(3) },
      { userId: snowflake(), action: 'ban', at: noon(3), moderatorId: other },
      { userId: snowflake(), action: 'kick', at: noon(3), deleted: true },
      { userId: snowflake(), action: 'warn', at: ago(1000) },
      { userId: snowflake(), action: 'mute', at: ago(500), moderatorId: other },
      { userId: snowflake(), action: 'mute', at: ago(100), moderatorId: other },
    ]);
    const { cookie } = await signIn(guild, guild.moderatorId);
    const html = await page(`/dashboard/guilds/${guild.guildId}/activity`, cookie);
    const day = (n: number) => noon(n).toISOString().slice(0, 10);
    const perDay = chartOf(html, 'per-day');
    expect(perDay.bars).toHaveLength(30);
    expect(perDay.bars[0]?.key).toBe(day(29));
    expect(perDay.bars.filter((b) => b.total > 0)).toEqual([
      { key: day(29), total: 1, segments: [['warn', 1]] },
      {
        key: day(3),
        total: 2,
        segments: [
          ['ban', 1],
          ['warn', 1],
        ],
      },
      {
        key: day(0),
        total: 3,
        segments: [
          ['mute', 2],
          ['warn', 1],
        ],
      },
    ]);
    expect(perDay.svg).toContain('6 cases</title>');
    const perModerator = chartOf(html, 'per-moderator');
    expect(perModerator.bars).toEqual(
      [
        {
          key: other,
          total: 3,
          segments: [
            ['ban', 1],
            ['mute', 2],
          ],
        },
        { key: guild.moderatorId, total: 3, segments: [['warn', 3]] },
      ].sort((x, y) => (x.key < y.key ? -1 : 1)),
    );
    expect(html).toContain(
      `<td data-label="Day">${day(3)}</td><td data-label="Cases">2</td><td data-label="By action">Ban 1, Warning 1</td>`,
    );

    const empty = await seedGuild();
    const { cookie: emptyCookie } = await signIn(empty, empty.moderatorId);
    expect(await page(`/dashboard/guilds/${empty.guildId}/activity`, emptyCookie)).toContain(
      'No cases in the last 30 days.',
    );
  });
});

describe('dashboard: who may, and bad input', () => {
  it('answers 403 to a member without Timeout Members on the activity and member pages', async () => {
    const guild = await seedGuild();
    await seedCases(guild, [{ userId: guild.targetId }]);
    const { cookie } = await signIn(guild, guild.targetId);
    for (const path of ['/activity', `/members/${guild.targetId}`, '/members/nope', '/activity?x=1']) {
      const response = await get(`/dashboard/guilds/${guild.guildId}${path}`, cookie);
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain('reason 1');
    }
  });

  it('answers 400 for a bad member id, a bad query and a name too long, reading nothing', async () => {
    const guild = await seedGuild();
    await seedCases(guild, [{ userId: guild.targetId }]);
    const { cookie } = await signIn(guild, guild.moderatorId);
    const base = `/dashboard/guilds/${guild.guildId}`;
    for (const [path, message] of [
      ['/members/12345', 'A member is a Discord user id'],
      ['/members/abc', 'A member is a Discord user id'],
      [`/members/${guild.targetId}?action=ban`, 'Unknown parameter &quot;action&quot;'],
      [`/members/${guild.targetId}?before=x`, 'cursor must be a case number'],
      ['/activity?days=90', 'takes no parameters'],
      [`/cases?member=${'n'.repeat(33)}`, 'at most 32 characters'],
    ] as const) {
      const response = await get(`${base}${path}`, cookie);
      expect(response.status, path).toBe(400);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).not.toContain('reason 1');
      expect(html).not.toContain('<svg class="chart"');
    }
  });
});
