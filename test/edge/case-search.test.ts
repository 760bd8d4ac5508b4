// /cases through the real Worker in workerd, against the real Postgres: filters combined, keyset
// pages both ways by number and, with `since`, by date; deleted cases never shown but kept; the
// permission on the command and on every click; forged and foreign page buttons.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  type CommandSpec,
  casesOf,
  seedGuild,
  sendInteraction,
  snowflake,
  stringOption,
  userOption,
} from '../support/edge.ts';
import {
  ago,
  type Body,
  button,
  buttons,
  click,
  MINUTE,
  numbersOf,
  range,
  searchCases,
  seedCases,
} from './case-read-helpers.ts';

describe('/cases', () => {
  it('pages newest first, ten at a time, both ways; deleted cases never shown but kept', async () => {
    const guild = await seedGuild();
    await seedCases(
      guild,
      range(1, 25).map((n) => ({ userId: snowflake(), deleted: n === 5 || n === 20 })),
    );
    const first = await searchCases(guild);
    expect(first.type).toBe(4);
    expect(first.data?.flags).toBe(64);
    expect(numbersOf(first)).toEqual([25, 24, 23, 22, 21, 19, 18, 17, 16, 15]);
    expect(first.data?.embeds?.[0]?.description?.split('\n')[0]).toBe('All cases in this server.');
    expect(button(first, 'Previous').disabled).toBe(true);
    expect(button(first, 'Next').disabled).toBe(false);

    const second = (await click(guild, button(first, 'Next').custom_id)).body;
    expect(second.type).toBe(7);
    expect(numbersOf(second)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 4]);
    expect(buttons(second).map((b) => b.disabled)).toEqual([false, false]);
    const third = (await click(guild, button(second, 'Next').custom_id)).body;
    expect(numbersOf(third)).toEqual([3, 2, 1]);
    expect(button(third, 'Next').disabled).toBe(true);

    const back = (await click(guild, button(third, 'Previous').custom_id)).body;
    expect(numbersOf(back)).toEqual(numbersOf(second));
    const top = (await click(guild, button(back, 'Previous').custom_id)).body;
    expect(numbersOf(top)).toEqual(numbersOf(first));
    expect(button(top, 'Previous').disabled).toBe(true);
    expect(await casesOf(guild.guildId)).toHaveLength(25);
  });

  it('combines member, moderator, action and source', async () => {
    const guild = await seedGuild();
    const [a, b, other] = [snowflake(), snowflake(), snowflake()];
    await seedCases(guild, [
      { userId: a }, // 1
      { userId: a, action: 'ban', moderatorId: other }, // 2
      { userId: b, action: 'ban', moderatorId: other, source: 'discord' }, // 3
      { userId: a, action: 'note' }, // 4
      { userId: a, source: 'automod', moderatorId: other }, // 5
      { userId: b }, // 6
      { userId: a, action: 'ban', moderatorId: other, source: 'discord' }, // 7
      { userId: a, deleted: true }, // 8
    ]);
    const search = async (options: CommandSpec['options']) => numbersOf(await searchCases(guild, options));
    expect(await search([userOption('user', a), stringOption('action', 'warn')])).toEqual([5, 1]);
    expect(await search([userOption('moderator', other), stringOption('action', 'ban')])).toEqual([7, 3, 2]);
    expect(await search([stringOption('source', 'discord')])).toEqual([7, 3]);
    expect(
      await search([
        userOption('user', a),
        userOption('moderator', other),
        stringOption('action', 'ban'),
        stringOption('source', 'discord'),
      ]),
    ).toEqual([7]);
    expect(await search([userOption('user', a), stringOption('action', 'note')])).toEqual([4]);
    const none = await searchCases(guild, [userOption('user', b), stringOption('action', 'kick')]);
    expect(none.data?.content).toBe('No cases match these filters.');
    const described = await searchCases(guild, [userOption('user', b), stringOption('source', 'discord')]);
    expect(described.data?.embeds?.[0]?.description?.split('\n')[0]).toBe(
      `Filters: member <@${b}> · source: discord`,
    );
    expect(buttons(described)).toEqual([]);
  });

  it('since: by date, cases dated before it left out whatever their number, paged both ways', async () => {
    const guild = await seedGuild();
    const user = snowflake();
    await seedCases(guild, [
      { userId: user, at: ago(20 * 86_400_000) }, // 1: too old
      { userId: user, at: ago(30 * MINUTE) }, // 2: recent, numbered early (dated in the window)
      ...range(3, 14).map((n) => ({ userId: user, at: ago((60 - n) * MINUTE) })), // 3…14: the last hour
      { userId: user, at: ago(30 * 86_400_000) }, // 15: an old entry imported late: left out
      { userId: user, at: ago(10 * MINUTE), deleted: true }, // 16: deleted
    ]);
    const first = await searchCases(guild, [stringOption('since', '7d')]);
    // By date: #2 (30 minutes old) is the newest, then #14…#3 (46…57 minutes old).
    expect(numbersOf(first)).toEqual([2, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const next = button(first, 'Next').custom_id;
    const bound = Number(next.split(':').at(-1));
    expect(Math.abs(bound * 1000 - (Date.now() - 7 * 86_400_000))).toBeLessThan(60_000);
    const second = (await click(guild, next)).body;
    expect(numbersOf(second)).toEqual([5, 4, 3]);
    expect(button(second, 'Next').disabled).toBe(true);
    const back = (await click(guild, button(second, 'Previous').custom_id)).body;
    expect(numbersOf(back)).toEqual(numbersOf(first));
    expect(button(back, 'Previous').disabled).toBe(true);
    const member = await searchCases(guild, [userOption('user', user), stringOption('since', '1h')]);
    expect(numbersOf(member)).toEqual([2, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(numbersOf((await click(guild, button(member, 'Next').custom_id)).body)).toEqual([5, 4, 3]);
    const bad = await searchCases(guild, [stringOption('since', 'yesterday')]);
    expect(bad.data?.content).toBe(
      '`since`: "yesterday" is not a duration. Write it like 30m, 2h, 7d or 1w2d.',
    );
  });

  it('needs Timeout Members, and so does every page click', async () => {
    const guild = await seedGuild();
    await seedCases(
      guild,
      range(1, 12).map(() => ({ userId: snowflake() })),
    );
    const refused = await searchCases(guild, [], PermissionFlagsBits.BanMembers);
    expect(refused.data?.content).toBe('You need the **Timeout Members** permission to use /cases.');
    const first = await searchCases(guild);
    const { body } = await click(guild, button(first, 'Next').custom_id, {
      permissions: PermissionFlagsBits.BanMembers,
    });
    expect(body.type).toBe(4);
    expect(body.data?.content).toBe('You need the **Timeout Members** permission to use /cases.');
  });

  it('forged and foreign page buttons show nothing of another server and are refused when malformed', async () => {
    const [home, away] = [await seedGuild(), await seedGuild()];
    const member = snowflake();
    await seedCases(
      home,
      range(1, 15).map(() => ({ userId: member })),
    );
    await seedCases(
      away,
      range(1, 3).map(() => ({ userId: snowflake() })),
    );
    const next = button(await searchCases(home), 'Next').custom_id;
    // The same button clicked in another server searches that server.
    const foreign = (await click(away, next)).body;
    expect(numbersOf(foreign)).toEqual([3, 2, 1]);
    expect(foreign.data?.embeds?.[0]?.description).not.toContain(member);
    const filtered = (await click(away, `cases:o:99:${member}::::`)).body;
    expect(filtered.type).toBe(4);
    expect(filtered.data?.content).toBe(
      'No older cases match these filters any more (they may have been deleted). Run /cases again.',
    );
    const future = Math.floor(Date.now() / 1000) + 86_400;
    for (const forged of [
      'cases:o',
      'cases:x:5::::::',
      'cases:o:0::::::',
      'cases:o:05::::::',
      'cases:o:5:me::::',
      'cases:o:5:::purge::',
      'cases:o:5::::scheduler:',
      `cases:o:5:::::${future}`,
      'cases:o:5:::::1:extra',
    ]) {
      const { body } = await click(home, forged);
      expect(body.type, forged).toBe(4);
      expect(body.data?.content, forged).toBe('That button is not one of mine; nothing was done.');
    }
    const { interaction } = await click(home, next);
    const replayed = (await sendInteraction(interaction)).body as Body;
    expect(replayed.data?.content).toBe('This interaction was already handled; nothing was done again.');
  });
});
