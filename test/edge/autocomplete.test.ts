// Autocomplete (type 4 → type 8): recent cases for case-number options, filtered by the typed
// prefix and newest first, only the server's own and only for moderators holding the command's
// permission; saved reasons for reason options; and nothing written, ever.
import {
  type APIApplicationCommandInteractionDataOption,
  type InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, guilds, seenInteractions } from '../../db/schema.ts';
import { buildAutocompleteInteraction } from '../../dev/interactions.ts';
import {
  ALL_MOD_PERMISSIONS,
  moderatorBase,
  outboxOf,
  runCommand,
  seedGuild,
  sendInteraction,
  snowflake,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
  userOption,
} from '../support/edge.ts';

type Option = APIApplicationCommandInteractionDataOption<InteractionType.ApplicationCommandAutocomplete>;
type Choice = { name: string; value: string | number };

const focused = (name: string, type: 3 | 4, value: string) =>
  ({ name, type, value, focused: true }) as Option;

function autocompleteOf(guild: TestGuild, name: string, options: Option[], permissions?: bigint) {
  return buildAutocompleteInteraction({ ...moderatorBase(guild, { permissions }), name, options });
}

async function suggestions(
  guild: TestGuild,
  name: string,
  options: Option[],
  permissions?: bigint,
): Promise<Choice[]> {
  const result = await sendInteraction(autocompleteOf(guild, name, options, permissions));
  expect(result.status).toBe(200);
  expect(result.body.type).toBe(8);
  return (result.body.data as { choices: Choice[] }).choices;
}

/** `/case view number:` as typed so far. */
const caseSuggestions = (guild: TestGuild, typed: string, permissions?: bigint) =>
  suggestions(
    guild,
    'case',
    [{ name: 'view', type: 1, options: [focused('number', 4, typed)] } as Option],
    permissions,
  );

/**
 * `count` warnings numbered 1…count, a second apart, written straight to the table with the guild's
 * counter in step; every `spamEvery`-th has a reason mentioning spam.
 */
async function seedCases(guildId: string, count: number, spamEvery = 0) {
  const db = testDatabase();
  const userId = snowflake();
  const reason =
    spamEvery > 0
      ? sql`case when n % ${spamEvery}::int = 0 then 'Spamming links (' || n || ')' else 'reason ' || n end`
      : sql`'reason ' || n`;
  await db.batch([
    db.insert(guilds).values({ guildId, caseCounter: count }),
    db.execute(sql`insert into ${cases} (id, guild_id, case_number, action, user_id, moderator_id, reason, created_at)
      select gen_random_uuid(), ${guildId}, n, 'warn', ${userId}, '1', ${reason},
        now() - (${count}::int - n) * interval '1 second'
      from generate_series(1, ${count}::int) n`),
  ]);
  return userId;
}

const numbers = (choices: Choice[]) => choices.map((c) => c.value);

describe('case suggestions', () => {
  it('offers the 25 newest cases as one-line summaries with integer values', async () => {
    const guild = await seedGuild();
    const userId = await seedCases(guild.guildId, 30);
    const choices = await caseSuggestions(guild, '');
    expect(numbers(choices)).toEqual(Array.from({ length: 25 }, (_, i) => 30 - i));
    expect(choices[0]).toEqual({ name: `#30 Warning · ${userId} · reason 30`, value: 30 });
    for (const choice of choices) expect(choice.name.length).toBeLessThanOrEqual(100);
  });

  it('summarises a case recorded by a command', async () => {
    const guild = await seedGuild();
    await runCommand({
      guild,
      name: 'warn',
      options: [userOption('user', guild.targetId), stringOption('reason', 'Rule 3:\nno spam')],
      resolve: [{ id: guild.targetId }],
    });
    await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.outsiderId), stringOption('duration', '1d')],
      resolve: [{ id: guild.outsiderId, roles: null }],
    });
    expect(await caseSuggestions(guild, '')).toEqual([
      { name: `#2 Temporary ban · ${guild.outsiderId} · no reason given`, value: 2 },
      { name: `#1 Warning · ${guild.targetId} · Rule 3: no spam`, value: 1 },
    ]);
  });

  it('filters by the typed number prefix, newest first', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 1_234);
    expect(numbers(await caseSuggestions(guild, '12'))).toEqual([
      1_234, 1_233, 1_232, 1_231, 1_230, 1_229, 1_228, 1_227, 1_226, 1_225, 1_224, 1_223, 1_222, 1_221, 1_220,
      1_219, 1_218, 1_217, 1_216, 1_215, 1_214, 1_213, 1_212, 1_211, 1_210,
    ]);
    expect(numbers(await caseSuggestions(guild, '9'))).toEqual([
      999, 998, 997, 996, 995, 994, 993, 992, 991, 990, 989, 988, 987, 986, 985, 984, 983, 982, 981, 980, 979,
      978, 977, 976, 975,
    ]);
    expect(numbers(await caseSuggestions(guild, '#123'))).toEqual([1_234, 1_233, 1_232, 1_231, 1_230, 123]);
    expect(numbers(await caseSuggestions(guild, '1234'))).toEqual([1_234]);
    expect(await caseSuggestions(guild, '1235')).toEqual([]);
    expect(await caseSuggestions(guild, '0')).toEqual([]);
  });

  it('matches words against recent reasons and action names', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 40, 10);
    expect(numbers(await caseSuggestions(guild, 'spam'))).toEqual([40, 30, 20, 10]);
    expect(numbers(await caseSuggestions(guild, '50%'))).toEqual([]);
    expect(await caseSuggestions(guild, 'warn')).toHaveLength(25);
    expect(await caseSuggestions(guild, 'ban')).toEqual([]);
  });

  it('suggests for /reason case too', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 3);
    const choices = await suggestions(guild, 'reason', [
      focused('case', 4, '2'),
      stringOption('reason', 'x') as Option,
    ]);
    expect(numbers(choices)).toEqual([2]);
  });

  it('leaves out deleted cases', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 12);
    await testDatabase().execute(
      sql`update ${cases} set deleted_at = now(), deleted_by = '1' where guild_id = ${guild.guildId} and case_number in (11, 12)`,
    );
    expect(numbers(await caseSuggestions(guild, '1'))).toEqual([10, 1]);
    expect(numbers(await caseSuggestions(guild, '')).slice(0, 2)).toEqual([10, 9]);
  });

  it('never shows another server’s cases', async () => {
    const mine = await seedGuild();
    const theirs = await seedGuild();
    await seedCases(theirs.guildId, 5);
    expect(await caseSuggestions(mine, '')).toEqual([]);
    expect(await caseSuggestions(mine, '1')).toEqual([]);
    await seedCases(mine.guildId, 2);
    expect(numbers(await caseSuggestions(mine, ''))).toEqual([2, 1]);
  });

  it('gives nothing to a member without the command’s permission', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 5);
    expect(await caseSuggestions(guild, '', PermissionFlagsBits.BanMembers)).toEqual([]);
    expect(await caseSuggestions(guild, '', PermissionFlagsBits.ModerateMembers)).toHaveLength(5);
    expect(await caseSuggestions(guild, '', PermissionFlagsBits.Administrator)).toHaveLength(5);
  });
});

describe('saved reason suggestions', () => {
  async function save(guild: TestGuild, name: string, text: string) {
    const result = await runCommand({
      guild,
      name: 'reasons',
      options: [subcommand('add', [stringOption('name', name), stringOption('text', text)])],
    });
    expect(result.body.data?.content).toMatch(/^Saved/);
  }

  it('offers saved reasons in every reason option, by name or text', async () => {
    const guild = await seedGuild();
    const long = `Advertising another server: ${'see rule 4 and the pinned message. '.repeat(4).trim()}`;
    await save(guild, 'spam', 'Spamming links in several channels');
    await save(guild, 'ads', long);
    await save(guild, 'nsfw', 'NSFW content outside the marked channels');
    const ban = (typed: string) =>
      suggestions(guild, 'ban', [userOption('user', guild.targetId) as Option, focused('reason', 3, typed)]);
    const all = await ban('');
    // By name; a text longer than a choice's 100 characters is offered by its name.
    expect(all.map((c) => c.value)).toEqual([
      'ads',
      'NSFW content outside the marked channels',
      'Spamming links in several channels',
    ]);
    expect(all[0]!.name).toMatch(/^ads — Advertising another server: see rule 4 .*…$/);
    expect(all[0]!.name.length).toBeLessThanOrEqual(100);
    expect(all[2]!.name).toBe('spam — Spamming links in several channels');
    expect((await ban('SP')).map((c) => c.value)).toEqual(['Spamming links in several channels']);
    expect((await ban('channels')).map((c) => c.value)).toEqual([
      'NSFW content outside the marked channels',
      'Spamming links in several channels',
    ]);
    expect(await ban('nothing like it')).toEqual([]);
    const lockdown = await suggestions(
      guild,
      'lockdown',
      [{ name: 'server', type: 1, options: [focused('reason', 3, 'nsfw')] } as Option],
      ALL_MOD_PERMISSIONS | PermissionFlagsBits.ManageChannels,
    );
    expect(lockdown.map((c) => c.value)).toEqual(['NSFW content outside the marked channels']);
  });

  it('offers the saved names to /reasons remove, and only to those who may manage them', async () => {
    const guild = await seedGuild();
    await save(guild, 'spam', 'Spamming links');
    const remove = [{ name: 'remove', type: 1, options: [focused('name', 3, 'sp')] } as Option];
    expect(await suggestions(guild, 'reasons', remove)).toEqual([
      { name: 'spam — Spamming links', value: 'spam' },
    ]);
    expect(await suggestions(guild, 'reasons', remove, PermissionFlagsBits.BanMembers)).toEqual([]);
    const other = await seedGuild();
    expect(await suggestions(other, 'reasons', remove)).toEqual([]);
  });
});

describe('autocomplete writes nothing', () => {
  it('records no interaction, queues no event, and answers the same request the same way twice', async () => {
    const guild = await seedGuild();
    await seedCases(guild.guildId, 3);
    const before = await outboxOf(guild.guildId);
    const interaction = autocompleteOf(guild, 'case', [
      { name: 'view', type: 1, options: [focused('number', 4, '')] } as Option,
    ]);
    const first = await sendInteraction(interaction);
    const again = await sendInteraction(interaction);
    expect(again.body).toEqual(first.body);
    expect(numbers((first.body.data as { choices: Choice[] }).choices)).toEqual([3, 2, 1]);
    const seen = await testDatabase()
      .select()
      .from(seenInteractions)
      .where(eq(seenInteractions.interactionId, interaction.id));
    expect(seen).toEqual([]);
    expect(await outboxOf(guild.guildId)).toEqual(before);
  });

  it('answers an unknown option or command with no choices', async () => {
    const guild = await seedGuild();
    expect(await suggestions(guild, 'ban', [focused('duration', 3, '1')])).toEqual([]);
    expect(await suggestions(guild, 'nope', [focused('reason', 3, '')])).toEqual([]);
    expect(await suggestions(guild, 'case', [])).toEqual([]);
  });
});
