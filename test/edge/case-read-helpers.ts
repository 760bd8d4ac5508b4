// Helpers for the case read-side tests (case-search.test.ts, case-history.test.ts): cases written
// straight to the table (numbered, dated and deleted as a test needs), deletion as /case delete
// leaves a row, commands and page clicks through the Worker, and readers of what a reply lists.
import type { APIMessage } from 'discord-api-types/v10';
import { and, eq, inArray } from 'drizzle-orm';
import { cases, guilds } from '../../db/schema.ts';
import { buildComponentInteraction, buildMessage } from '../../dev/interactions.ts';
import type { CaseAction } from '../../shared/actions.ts';
import {
  type CommandSpec,
  moderatorBase,
  runCommand,
  sendInteraction,
  snowflake,
  type TestGuild,
  testDatabase,
} from '../support/edge.ts';

export type Button = { custom_id: string; label: string; disabled?: boolean };
export type Body = {
  type: number;
  data?: {
    content?: string;
    flags?: number;
    embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
    components?: { components: Button[] }[];
  };
};

export const MINUTE = 60_000;
export const ago = (ms: number) => new Date(Date.now() - ms);

export interface SeedCase {
  userId: string;
  action?: CaseAction;
  moderatorId?: string;
  source?: 'command' | 'discord' | 'automod' | 'escalation';
  at?: Date;
  deleted?: boolean;
}

/** Cases written straight to the table, numbered 1, 2, 3… in order, the guild's counter in step. */
export async function seedCases(guild: TestGuild, list: SeedCase[]) {
  const db = testDatabase();
  await db.batch([
    db.insert(guilds).values({ guildId: guild.guildId, caseCounter: list.length }),
    db.insert(cases).values(
      list.map((c, i) => ({
        id: crypto.randomUUID(),
        guildId: guild.guildId,
        caseNumber: i + 1,
        action: c.action ?? 'warn',
        userId: c.userId,
        moderatorId: c.moderatorId ?? guild.moderatorId,
        reason: `reason ${i + 1}`,
        source: c.source ?? 'command',
        createdAt: c.at ?? ago((list.length - i) * MINUTE),
        ...(c.deleted
          ? { deletedAt: new Date(), deletedBy: guild.moderatorId, deleteReason: 'mistake' }
          : {}),
      })),
    ),
  ]);
}

/** Marks cases deleted as /case delete leaves them (the row kept, with who and why). */
export async function markDeleted(guild: TestGuild, numbers: number[]) {
  await testDatabase()
    .update(cases)
    .set({ deletedAt: new Date(), deletedBy: guild.moderatorId, deleteReason: 'entered by mistake' })
    .where(and(eq(cases.guildId, guild.guildId), inArray(cases.caseNumber, numbers)));
}

export async function command(spec: CommandSpec): Promise<Body> {
  return (await runCommand(spec)).body as Body;
}

export const searchCases = (guild: TestGuild, options: CommandSpec['options'] = [], permissions?: bigint) =>
  command({ guild, name: 'cases', options, ...(permissions === undefined ? {} : { permissions }) });

/** The /cases reply the buttons sit on, as Discord has it. */
export const pageMessage = (guild: TestGuild): APIMessage =>
  buildMessage({
    channelId: guild.channelId,
    author: { id: snowflake(), username: 'Lockdown' },
    type: 20,
    flags: 64,
  });

export async function click(
  guild: TestGuild,
  customId: string,
  spec: Parameters<typeof moderatorBase>[1] = {},
) {
  const interaction = buildComponentInteraction({
    ...moderatorBase(guild, spec),
    message: pageMessage(guild),
    customId,
  });
  return { interaction, body: (await sendInteraction(interaction)).body as Body };
}

export const numbersOf = (body: Body) =>
  [...(body.data?.embeds?.[0]?.description ?? '').matchAll(/`#(\d+)`/g)].map((m) => Number(m[1]));
export const buttons = (body: Body) => body.data?.components?.[0]?.components ?? [];
export const button = (body: Body, label: 'Previous' | 'Next') =>
  buttons(body).find((b) => b.label === label) as Button;
export const range = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from > to ? from - i : from + i));
