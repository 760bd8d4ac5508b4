// Ban appeals the real way, for the Worker's tests: the ban (DM sent before it), the Appeal button
// pressed in the banned user's DM, the modal submitted, and Accept / Deny under the mod-log line.
import type { APIMessage } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { appeals } from '../../db/schema.ts';
import { buildDmComponentInteraction, buildDmModalSubmitInteraction } from '../../dev/dm-interactions.ts';
import { buildComponentInteraction, buildMessage } from '../../dev/interactions.ts';
import {
  appId,
  casesOf,
  moderatorBase,
  runCommand,
  seedGuild,
  sendInteraction,
  snowflake,
  stringOption,
  type TestGuild,
  testConfig,
  testDatabase,
  userOption,
} from './edge.ts';

export type Body = {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    custom_id?: string;
    components?: { components: { custom_id: string; max_length?: number; required?: boolean }[] }[];
  };
};
export const bodyOf = (result: { body: unknown }) => result.body as Body;

export type DmMessage = APIMessage & {
  components?: { components: { custom_id: string; label: string }[] }[];
};

/** The user's DM channel with the bot and its messages, as the stand-in holds them. */
export async function dmOf(userId: string): Promise<{ channelId: string; messages: DmMessage[] }> {
  const response = await fetch(`${testConfig().discordControlUrl}/users/${userId}/dm`);
  const dm = (await response.json()) as { channel: { id: string } | null; messages: DmMessage[] };
  return { channelId: dm.channel?.id ?? snowflake(), messages: dm.messages };
}

/** Bans the guild's target (a member, so the DM reaches them) and returns the ban case. */
export async function banTarget(guild: TestGuild, options = [stringOption('reason', 'Spam')]) {
  const result = await runCommand({
    guild,
    name: 'ban',
    options: [userOption('user', guild.targetId), ...options],
    resolve: [{ id: guild.targetId }],
  });
  expect(result.body.data?.content).toMatch(/\*\*Banned\*\*/);
  const ban = (await casesOf(guild.guildId)).find((c) => c.action === 'ban');
  if (!ban) throw new Error('the ban was not recorded');
  return ban;
}

export const dmMessage = (channelId: string) =>
  buildMessage({ channelId, author: { id: snowflake(), username: 'Lockdown' } });

export async function pressAppeal(userId: string, caseId: string) {
  const { channelId } = await dmOf(userId);
  return bodyOf(
    await sendInteraction(
      buildDmComponentInteraction({
        applicationId: appId(),
        channelId,
        user: { id: userId, username: 'banned' },
        message: dmMessage(channelId),
        customId: `appeal:open:${caseId}`,
      }),
    ),
  );
}

export async function submitAppeal(userId: string, caseId: string, text = 'I was hacked, sorry.') {
  const { channelId } = await dmOf(userId);
  return bodyOf(
    await sendInteraction(
      buildDmModalSubmitInteraction({
        applicationId: appId(),
        channelId,
        user: { id: userId, username: 'banned' },
        customId: `appeal:submit:${caseId}`,
        fields: { reason: text },
      }),
    ),
  );
}

export const modlogMessage = (guild: TestGuild): APIMessage =>
  buildMessage({
    channelId: guild.channelId,
    webhookId: snowflake(),
    author: { id: snowflake(), username: 'Lockdown' },
  });

/** Presses a button (`appeal:accept:<id>`, `appeal:deny:<id>`) under the appeal's mod-log line. */
export async function decide(
  guild: TestGuild,
  customId: string,
  spec: Parameters<typeof moderatorBase>[1] = {},
) {
  return bodyOf(
    await sendInteraction(
      buildComponentInteraction({ ...moderatorBase(guild, spec), message: modlogMessage(guild), customId }),
    ),
  );
}

export const appealRows = (caseId: string) =>
  testDatabase().select().from(appeals).where(eq(appeals.caseId, caseId));

/** A guild with a pending appeal of its target's ban. */
export async function appealed(text?: string) {
  const guild = await seedGuild();
  const ban = await banTarget(guild);
  expect((await submitAppeal(guild.targetId, ban.id, text)).data?.content).toBe(
    'Your appeal was sent to the moderators of Test Server.',
  );
  const [appeal] = await appealRows(ban.id);
  if (!appeal) throw new Error('the appeal was not recorded');
  return { guild, ban, appeal };
}
