// /reasons add|remove|list and the expansion of a saved name typed as a reason: the limits, the
// names it refuses, who may change them, each change's audit event, and /ban and /reason recording
// the saved text (and an ordinary reason costing no look-up).
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { savedReasons } from '../../db/schema.ts';
import {
  ALL_MOD_PERMISSIONS,
  banOutsider,
  casesOf,
  discordRequests,
  injectDatabaseFault,
  integerOption,
  runCommand,
  seedGuild,
  streamEventsOf,
  stringOption,
  subcommand,
  type TestGuild,
  testDatabase,
} from '../support/edge.ts';

const add = (guild: TestGuild, name: string, text: string, permissions?: bigint) =>
  runCommand({
    guild,
    name: 'reasons',
    options: [subcommand('add', [stringOption('name', name), stringOption('text', text)])],
    permissions,
  });
const remove = (guild: TestGuild, name: string) =>
  runCommand({ guild, name: 'reasons', options: [subcommand('remove', [stringOption('name', name)])] });
const list = (guild: TestGuild) => runCommand({ guild, name: 'reasons', options: [subcommand('list')] });

const content = (result: Awaited<ReturnType<typeof runCommand>>) => result.body.data?.content;

async function savedOf(guildId: string) {
  return testDatabase()
    .select({ name: savedReasons.name, nameKey: savedReasons.nameKey, text: savedReasons.text })
    .from(savedReasons)
    .where(eq(savedReasons.guildId, guildId))
    .orderBy(savedReasons.nameKey);
}

/** Rows written straight to the table, to fill a server up to the limit quickly. */
async function seedSaved(guild: TestGuild, count: number) {
  await testDatabase()
    .insert(savedReasons)
    .values(
      Array.from({ length: count }, (_, i) => ({
        guildId: guild.guildId,
        nameKey: `r${i}`,
        name: `r${i}`,
        text: `Reason number ${i}`,
        createdBy: guild.moderatorId,
      })),
    );
}

describe('/reasons add', () => {
  it('saves a reason and logs it with its name and text', async () => {
    const guild = await seedGuild();
    const result = await add(guild, 'Spam', 'Spamming links in several channels');
    expect(content(result)).toBe(
      'Saved `Spam`. Typing `Spam` as a reason now gives:\n> Spamming links in several channels',
    );
    expect(result.body.data?.flags).toBe(64);
    expect(await savedOf(guild.guildId)).toEqual([
      { name: 'Spam', nameKey: 'spam', text: 'Spamming links in several channels' },
    ]);
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.eventType)).toEqual(['audit:logged']);
    expect(events[0]!.data).toMatchObject({
      action: 'reasons.saved',
      guildId: guild.guildId,
      moderatorId: guild.moderatorId,
      details: { Name: 'Spam', Text: 'Spamming links in several channels' },
    });
    expect(events[0]!.sequence).toBe(1);
  });

  it('replaces the text of a name saved before (in any case) and says so', async () => {
    const guild = await seedGuild();
    await add(guild, 'spam', 'Spamming');
    const replaced = await add(guild, 'SPAM', 'Spamming links');
    expect(content(replaced)).toBe(
      'Replaced the text of `SPAM`. Typing `SPAM` as a reason now gives:\n> Spamming links',
    );
    expect(await savedOf(guild.guildId)).toEqual([{ name: 'SPAM', nameKey: 'spam', text: 'Spamming links' }]);
    const unchanged = await add(guild, 'SPAM', 'Spamming links');
    expect(content(unchanged)).toBe('`SPAM` is already saved with that text; nothing changed.');
    const events = await streamEventsOf(guild.guildId);
    expect(events).toHaveLength(2);
    expect(events[1]!.data).toMatchObject({
      action: 'reasons.saved',
      details: { Name: 'SPAM', Text: 'Spamming links', 'Previous text': 'Spamming' },
    });
  });

  it('refuses names that are not one word of letters, digits, - and _ (up to 32)', async () => {
    const guild = await seedGuild();
    for (const name of ['two words', 'spam!', '@everyone', 'x'.repeat(33)]) {
      const result = await add(guild, name, 'text');
      expect(content(result), name).toMatch(/^A name is /);
    }
    expect(content(await add(guild, 'ok', 'é'.repeat(513)))).toBe(
      'The text is 513 characters long; a reason is at most 512.',
    );
    expect(content(await add(guild, 'ok', '   '))).toBe('Give the reason text to save.');
    expect(await savedOf(guild.guildId)).toEqual([]);
    expect(await streamEventsOf(guild.guildId)).toEqual([]);
  });

  it('keeps at most 100 per server, and still replaces one at the limit', async () => {
    const guild = await seedGuild();
    await seedSaved(guild, 100);
    expect(content(await add(guild, 'one-more', 'text'))).toBe(
      'This server already has 100 saved reasons, the most it can keep. Remove one with /reasons remove first.',
    );
    expect(content(await add(guild, 'r5', 'new text'))).toMatch(/^Replaced the text of `r5`/);
    expect(await savedOf(guild.guildId)).toHaveLength(100);
    expect((await streamEventsOf(guild.guildId)).map((e) => e.data.action)).toEqual(['reasons.saved']);
  });

  it('holds the limit when two adds race for the last place', async () => {
    const guild = await seedGuild();
    await seedSaved(guild, 99);
    const results = await Promise.all([add(guild, 'first', 'a'), add(guild, 'second', 'b')]);
    const outcomes = results.map(content).sort();
    expect(outcomes[0]).toMatch(/^Saved `(first|second)`/);
    expect(outcomes[1]).toMatch(/^This server already has 100 saved reasons/);
    expect(await savedOf(guild.guildId)).toHaveLength(100);
    expect(await streamEventsOf(guild.guildId)).toHaveLength(1);
  });

  it('needs Manage Server', async () => {
    const guild = await seedGuild();
    const result = await add(guild, 'spam', 'Spamming', PermissionFlagsBits.BanMembers);
    expect(content(result)).toBe('You need the **Manage Server** permission to use /reasons.');
    expect(await savedOf(guild.guildId)).toEqual([]);
  });
});

describe('/reasons remove and list', () => {
  it('removes a saved reason (any case) and logs what it said', async () => {
    const guild = await seedGuild();
    await add(guild, 'Spam', 'Spamming links');
    expect(content(await remove(guild, 'spam'))).toBe('Removed the saved reason `Spam`.');
    expect(await savedOf(guild.guildId)).toEqual([]);
    expect(content(await remove(guild, 'spam'))).toBe('There is no saved reason `spam`.');
    expect(content(await remove(guild, 'not a name'))).toBe('There is no saved reason by that name.');
    const events = await streamEventsOf(guild.guildId);
    expect(events.map((e) => e.data.action)).toEqual(['reasons.saved', 'reasons.removed']);
    expect(events[1]!.data).toMatchObject({ details: { Name: 'Spam', Text: 'Spamming links' } });
    expect(events.map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('lists them by name, all within Discord’s embed limits even when full', async () => {
    const guild = await seedGuild();
    expect(content(await list(guild))).toBe(
      'This server has no saved reasons yet. Save one with /reasons add.',
    );
    await add(guild, 'spam', 'Spamming links');
    await add(guild, 'Ads', 'Advertising');
    const embed = (await list(guild)).body.data?.embeds?.[0] as { title: string; description: string };
    expect(embed.title).toBe('Saved reasons (2 of 100)');
    expect(embed.description).toBe('`Ads` — Advertising\n`spam` — Spamming links');

    const full = await seedGuild();
    await testDatabase()
      .insert(savedReasons)
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          guildId: full.guildId,
          nameKey: `reason-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`,
          name: `reason-${String(i).padStart(3, '0')}-${'x'.repeat(20)}`,
          text: 't'.repeat(512),
          createdBy: full.moderatorId,
        })),
      );
    const big = (await list(full)).body.data?.embeds?.[0] as {
      description: string;
      footer: { text: string };
    };
    expect(big.description.length).toBeLessThanOrEqual(4096);
    expect(big.description.split('\n')).toHaveLength(100);
  });
});

describe('a saved name typed as a reason', () => {
  it('/ban records the saved text, in the case and in Discord’s audit log', async () => {
    const guild = await seedGuild();
    await add(guild, 'spam', 'Spamming links in several channels');
    const result = await runCommand(banOutsider(guild, 'SPAM'));
    expect(content(result)).toMatch(/^\*\*Banned\*\*/);
    const [ban] = await casesOf(guild.guildId);
    expect(ban?.reason).toBe('Spamming links in several channels');
    const [put] = (await discordRequests(`/guilds/${guild.guildId}/bans/${guild.outsiderId}`)).filter(
      (r) => r.method === 'PUT',
    );
    expect(put?.auditLogReason).toBe(`moderator (${guild.moderatorId}): Spamming links in several channels`);
  });

  it('/reason expands it too; other reasons are kept as typed', async () => {
    const guild = await seedGuild();
    await add(guild, 'rule3', 'Rule 3: no advertising');
    await runCommand(banOutsider(guild, 'spam'));
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('spam');
    await runCommand({
      guild,
      name: 'reason',
      options: [integerOption('case', 1), stringOption('reason', 'rule3')],
    });
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('Rule 3: no advertising');
  });

  it('costs no look-up when the reason cannot be a name', async () => {
    const guild = await seedGuild();
    await add(guild, 'spam', 'Spamming links');
    // The next query of this guild's saved reasons fails: an ordinary reason must not make one.
    await injectDatabaseFault(`saved_reasons.*${guild.guildId}`, 1);
    const plain = await runCommand(banOutsider(guild, 'Spamming in #general, see rule 3'));
    expect(content(plain)).toMatch(/^\*\*Banned\*\*/);
    expect((await casesOf(guild.guildId))[0]?.reason).toBe('Spamming in #general, see rule 3');
    // A name-like reason does look it up (and meets the fault, so nothing is done).
    const named = await runCommand({ ...banOutsider(guild, 'spam'), permissions: ALL_MOD_PERMISSIONS });
    expect(content(named)).toBe(
      'Something went wrong on our side and nothing was changed. Please try again in a moment.',
    );
    expect(await casesOf(guild.guildId)).toHaveLength(1);
  });
});
