// Ban appeals through the real Worker in workerd: the ban DM's Appeal button (pressed in the DM, as
// the banned user), its modal, the appeal and its mod-log event; once per ban, only the banned
// user, at most three a day; Accept and Deny from the mod-log line, only with Ban Members in the
// appeal's own server, each taken once (two Accepts together unban once), the user told by DM
// best effort and whether it arrived recorded.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { buildDmComponentInteraction } from '../../dev/dm-interactions.ts';
import {
  appealed,
  appealRows,
  banTarget,
  bodyOf,
  decide,
  dmMessage,
  dmOf,
  pressAppeal,
  submitAppeal,
} from '../support/appeals.ts';
import {
  appId,
  casesOf,
  discordGuildState,
  discordRequests,
  injectDiscordFault,
  putGuild,
  runCommand,
  seedGuild,
  sendInteraction,
  snowflake,
  streamEventsOf,
  stringOption,
  testGuildSeed,
  userOption,
} from '../support/edge.ts';

describe('appealing from the ban DM', () => {
  it('puts an Appeal button on the ban DM; pressing it opens the modal; the submit records the appeal and its event', async () => {
    const guild = await seedGuild();
    const ban = await banTarget(guild, [stringOption('reason', 'Spam'), stringOption('duration', '7d')]);
    const { messages } = await dmOf(guild.targetId);
    const dm = messages.at(-1);
    expect(dm?.components?.[0]?.components).toMatchObject([
      { label: 'Appeal', custom_id: `appeal:open:${ban.id}` },
    ]);

    const opened = await pressAppeal(guild.targetId, ban.id);
    expect(opened.type).toBe(9);
    expect(opened.data?.custom_id).toBe(`appeal:submit:${ban.id}`);
    expect(opened.data?.components?.[0]?.components[0]).toMatchObject({
      custom_id: 'reason',
      required: true,
      max_length: 1000,
    });

    const sent = await submitAppeal(guild.targetId, ban.id, 'I was hacked.');
    expect(sent.type).toBe(4);
    expect(sent.data?.flags).toBe(64);
    expect(sent.data?.content).toBe('Your appeal was sent to the moderators of Test Server.');
    const [appeal] = await appealRows(ban.id);
    expect(appeal).toMatchObject({
      guildId: guild.guildId,
      userId: guild.targetId,
      text: 'I was hacked.',
      state: 'pending',
      decidedBy: null,
    });
    const events = await streamEventsOf(guild.guildId);
    const created = events.find((e) => e.eventType === 'audit:logged' && e.data.action === 'appeal.created');
    expect(created?.eventId).toBe(appeal?.eventId);
    expect(created?.data).toMatchObject({
      id: ban.id,
      caseNumber: ban.caseNumber,
      userId: guild.targetId,
      reason: 'I was hacked.',
      appealId: appeal?.id,
    });
  });

  it('deletes the DM with its Appeal button when Discord refuses the ban', async () => {
    const guild = await seedGuild();
    await injectDiscordFault({
      method: 'PUT',
      path: `/guilds/${guild.guildId}/bans/`,
      count: 1,
      status: 403,
      code: 50013,
      message: 'Missing Permissions',
    });
    const result = await runCommand({
      guild,
      name: 'ban',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId }],
    });
    expect(result.body.data?.content).toMatch(/^Discord refused/);
    const sent = (await discordRequests('/messages')).find(
      (r) => r.method === 'POST' && JSON.stringify(r.body).includes('appeal:open:'),
    );
    expect(sent).toBeDefined();
    expect((await dmOf(guild.targetId)).messages).toEqual([]);
    expect(await casesOf(guild.guildId)).toEqual([]);
  });

  it('takes one appeal per ban', async () => {
    const { guild, ban } = await appealed();
    expect((await pressAppeal(guild.targetId, ban.id)).data?.content).toBe(
      'You already appealed this ban; the moderators will decide once.',
    );
    expect((await submitAppeal(guild.targetId, ban.id)).data?.content).toBe(
      'You already appealed this ban; the moderators will decide once.',
    );
    expect(await appealRows(ban.id)).toHaveLength(1);
  });

  it('refuses anyone but the banned user, a case that is not a ban in force, and other DM interactions', async () => {
    const guild = await seedGuild();
    const ban = await banTarget(guild);
    expect((await pressAppeal(guild.outsiderId, ban.id)).data?.content).toBe(
      'I found no ban of yours to appeal.',
    );
    expect((await submitAppeal(guild.outsiderId, ban.id)).data?.content).toBe(
      'I found no ban of yours to appeal.',
    );
    expect((await pressAppeal(guild.targetId, crypto.randomUUID())).data?.content).toBe(
      'I found no ban of yours to appeal.',
    );
    await runCommand({
      guild,
      name: 'unban',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId, roles: null }],
    });
    expect((await submitAppeal(guild.targetId, ban.id)).data?.content).toBe(
      'That ban is no longer in force; there is nothing to appeal.',
    );
    expect(await appealRows(ban.id)).toHaveLength(0);
    const { channelId } = await dmOf(guild.targetId);
    const other = bodyOf(
      await sendInteraction(
        buildDmComponentInteraction({
          applicationId: appId(),
          channelId,
          user: { id: guild.targetId, username: 'banned' },
          message: dmMessage(channelId),
          customId: `case:undo:${ban.id}`,
        }),
      ),
    );
    expect(other.data?.content).toBe('Lockdown works inside servers only.');
  });

  it('takes at most three appeals a day from one user, across servers', async () => {
    const userId = snowflake();
    const bans = [];
    for (let i = 0; i < 4; i++) {
      const seeded = await seedGuild();
      // One user Discord knows, not a member of any of the four servers.
      const guild = { ...seeded, outsiderId: userId };
      await putGuild(guild.guildId, testGuildSeed(guild));
      await runCommand({
        guild,
        name: 'ban',
        options: [userOption('user', userId)],
        resolve: [{ id: userId, roles: null }],
      });
      const [ban] = await casesOf(guild.guildId);
      if (!ban) throw new Error('the ban was not recorded');
      bans.push(ban);
    }
    for (const ban of bans.slice(0, 3))
      expect((await submitAppeal(userId, ban.id)).data?.content).toMatch(/^Your appeal was sent/);
    expect((await submitAppeal(userId, bans[3]!.id)).data?.content).toBe(
      'You can send at most 3 appeals in 24 hours; try again later.',
    );
    expect(await appealRows(bans[3]!.id)).toHaveLength(0);
  });
});

describe('deciding an appeal', () => {
  it('Accept unbans through the undo path once, links the unban; a second Accept is refused', async () => {
    const { guild, ban, appeal } = await appealed();
    const short = appeal.id.slice(0, 8);
    const accepted = await decide(guild, `appeal:accept:${appeal.id}`);
    expect(accepted.data?.flags).toBe(64);
    expect(accepted.data?.content).toMatch(
      new RegExp(`^Appeal ${short} accepted\\. \\*\\*Unbanned\\*\\* <@${guild.targetId}> — case #2\\.`),
    );
    expect(accepted.data?.content).toMatch(/I could not DM them \(Discord refused\)\.$/);
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(0);
    const rows = await casesOf(guild.guildId);
    const unban = rows.find((c) => c.action === 'unban');
    expect(unban).toMatchObject({
      reason: `Appeal accepted (appeal ${short})`,
      moderatorId: guild.moderatorId,
    });
    expect(rows.find((c) => c.id === ban.id)).toMatchObject({ state: 'lifted', endedByCaseId: unban?.id });
    const [row] = await appealRows(ban.id);
    expect(row).toMatchObject({
      state: 'accepted',
      decidedBy: guild.moderatorId,
      decisionCaseId: unban?.id,
      dmDelivered: false,
    });

    const again = await decide(guild, `appeal:accept:${appeal.id}`);
    expect(again.data?.content).toBe(
      `Appeal ${short} was already accepted by <@${guild.moderatorId}>; nothing was done.`,
    );
    expect((await decide(guild, `appeal:deny:${appeal.id}`)).data?.content).toMatch(/already accepted/);
    expect((await casesOf(guild.guildId)).filter((c) => c.action === 'unban')).toHaveLength(1);
    const events = await streamEventsOf(guild.guildId);
    const decided = events.filter(
      (e) => e.eventType === 'audit:logged' && e.data.action === 'appeal.accepted',
    );
    expect(decided).toHaveLength(1);
    expect(decided[0]?.data).toMatchObject({
      appealId: appeal.id,
      appealEventId: appeal.eventId,
      dmDelivered: false,
      details: { Appeal: short, 'Unban case': '#2', 'Told by DM': 'No — Discord refused the DM' },
    });
  });

  it('unbans once when two Accepts arrive together', async () => {
    const { guild, appeal } = await appealed();
    const results = await Promise.all([
      decide(guild, `appeal:accept:${appeal.id}`),
      decide(guild, `appeal:accept:${appeal.id}`),
    ]);
    const contents = results.map((r) => r.data?.content ?? '');
    expect(contents.filter((c) => /\*\*Unbanned\*\*/.test(c))).toHaveLength(1);
    expect(contents.filter((c) => /already accepted/.test(c))).toHaveLength(1);
    expect((await casesOf(guild.guildId)).filter((c) => c.action === 'unban')).toHaveLength(1);
  });

  it('Deny keeps the ban, tells the user by DM when Discord lets it, and records that it did', async () => {
    const { guild, ban, appeal } = await appealed();
    // The user still shares another server with the bot, so Discord delivers the DM.
    const other = await seedGuild();
    await putGuild(other.guildId, testGuildSeed({ ...other, targetId: guild.targetId }));
    const denied = await decide(guild, `appeal:deny:${appeal.id}`);
    expect(denied.data?.content).toBe(
      `Appeal ${appeal.id.slice(0, 8)} of <@${guild.targetId}> denied. They were told by DM.`,
    );
    expect((await discordGuildState(guild.guildId)).bans.map((b) => b.user.id)).toEqual([guild.targetId]);
    const [row] = await appealRows(ban.id);
    expect(row).toMatchObject({
      state: 'denied',
      decidedBy: guild.moderatorId,
      dmDelivered: true,
      decisionCaseId: null,
    });
    const { messages } = await dmOf(guild.targetId);
    expect(JSON.stringify(messages.at(-1)?.embeds)).toContain('Your appeal in Test Server was denied');
    const events = await streamEventsOf(guild.guildId);
    const decided = events.find((e) => e.eventType === 'audit:logged' && e.data.action === 'appeal.denied');
    expect(decided?.data).toMatchObject({
      appealEventId: appeal.eventId,
      dmDelivered: true,
      details: { 'Told by DM': 'Yes' },
    });
    expect((await decide(guild, `appeal:accept:${appeal.id}`)).data?.content).toMatch(/already denied/);
  });

  it('records a DM Discord refused on a Deny', async () => {
    const { guild, ban, appeal } = await appealed();
    const before = (await discordRequests('/users/@me/channels')).length;
    expect((await decide(guild, `appeal:deny:${appeal.id}`)).data?.content).toMatch(/I could not DM them/);
    expect((await discordRequests('/users/@me/channels')).length).toBeGreaterThan(before);
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'denied', dmDelivered: false });
  });

  it('refuses to accept an appeal whose ban is no longer in force; Deny still closes it', async () => {
    const { guild, ban, appeal } = await appealed();
    await runCommand({
      guild,
      name: 'unban',
      options: [userOption('user', guild.targetId)],
      resolve: [{ id: guild.targetId, roles: null }],
    });
    expect((await decide(guild, `appeal:accept:${appeal.id}`)).data?.content).toBe(
      `The ban of appeal ${appeal.id.slice(0, 8)} (case #${ban.caseNumber}) is no longer in force; nothing was done. Deny the appeal to close it.`,
    );
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'pending' });
    expect((await decide(guild, `appeal:deny:${appeal.id}`)).data?.content).toMatch(/denied/);
    expect((await casesOf(guild.guildId)).filter((c) => c.action === 'unban')).toHaveLength(1);
  });

  it('refuses a moderator without Ban Members, and an appeal of another server', async () => {
    const { guild, ban, appeal } = await appealed();
    const weak = await decide(guild, `appeal:accept:${appeal.id}`, {
      permissions: PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.KickMembers,
    });
    expect(weak.data?.content).toBe('You need the **Ban Members** permission to decide ban appeals.');
    const elsewhere = await seedGuild();
    expect((await decide(elsewhere, `appeal:deny:${appeal.id}`)).data?.content).toBe(
      'That appeal does not exist in this server; nothing was done.',
    );
    expect((await decide(guild, 'appeal:accept:not-an-id')).data?.content).toBe(
      'That button is not one of mine; nothing was done.',
    );
    expect((await appealRows(ban.id))[0]).toMatchObject({ state: 'pending', decidedBy: null });
    expect((await discordGuildState(guild.guildId)).bans).toHaveLength(1);
  });
});
