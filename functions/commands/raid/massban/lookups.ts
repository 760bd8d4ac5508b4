// What the preview must learn from Discord about the listed users, with a bounded number of calls
// (at most PREVIEW_CALLS, besides the guild facts):
// - Members and their roles. Discord has no REST lookup of many members by id, so: if listing the
//   whole member list (`GET /guilds/{id}/members?limit=1000&after=`, pages of 1,000, the member
//   count from `GET /guilds/{id}?with_counts=true`) takes fewer calls than asking for each listed
//   user (`GET /guilds/{id}/members/{user}`, MEMBER_LOOKUPS_IN_FLIGHT at a time), it lists;
//   otherwise it asks per user. When even the cheaper way needs more than PREVIEW_CALLS the
//   preview is refused with the figures (a list that long in a server that large must be split).
// - Ban state, only for listed users who are not members (a member cannot be banned): up to
//   INDIVIDUAL_BAN_CHECKS of them are asked for one by one, more by paging the ban list with the
//   calls left. A ban list longer than that is not read to its end: the users not seen are banned
//   anyway and Discord reports any already banned among `failed_users` (`uncheckedBans` says how many).
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { getBan, getGuildWithCounts, getMember, listBans, listMembers } from '../../../discord/api.ts';
import { DiscordApiError, type DiscordRest } from '../../../discord/rest.ts';
import { CommandError } from '../../../interactions/errors.ts';

export const PREVIEW_CALLS = 300;
export const PAGE_SIZE = 1_000;
export const MEMBER_LOOKUPS_IN_FLIGHT = 8;
export const INDIVIDUAL_BAN_CHECKS = 100;

export interface ListedUsersState {
  memberRoles: Map<string, string[]>;
  banned: Set<string>;
  /** Non-members whose ban state was not read (the ban list was too long to read to its end). */
  uncheckedBans: number;
  /** Discord calls made. */
  calls: number;
}

/** Runs `work` over `items`, `inFlight` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  inFlight: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}

const isCode = (error: unknown, code: number) => error instanceof DiscordApiError && error.code === code;

/** Pages a list by user id until a short page or `maxPages`; whether it reached the end. */
async function pageAll<T>(
  maxPages: number,
  fetchPage: (after: string) => Promise<T[]>,
  idOf: (item: T) => string,
  take: (item: T) => void,
): Promise<{ pages: number; complete: boolean }> {
  let after = '0';
  for (let pages = 1; pages <= maxPages; pages += 1) {
    const page = await fetchPage(after);
    for (const item of page) take(item);
    if (page.length < PAGE_SIZE) return { pages, complete: true };
    after = idOf(page[page.length - 1] as T);
  }
  return { pages: maxPages, complete: false };
}

export async function readListedUsers(
  discord: DiscordRest,
  guildId: string,
  ids: readonly string[],
): Promise<ListedUsersState> {
  const state: ListedUsersState = { memberRoles: new Map(), banned: new Set(), uncheckedBans: 0, calls: 0 };
  if (ids.length === 0) return state;
  const listed = new Set(ids);
  const guild = await getGuildWithCounts(discord, guildId);
  state.calls += 1;
  const memberPages = Math.max(1, Math.ceil((guild.approximate_member_count ?? 0) / PAGE_SIZE) + 1);
  if (Math.min(memberPages, ids.length) > PREVIEW_CALLS) {
    throw new CommandError(
      'invalid_option',
      `This server has about ${guild.approximate_member_count?.toLocaleString('en-US')} members, too many to check ${ids.length.toLocaleString('en-US')} users against in one preview. Give at most ${PREVIEW_CALLS} users at a time.`,
    );
  }
  if (memberPages <= ids.length) {
    const { pages } = await pageAll(
      PREVIEW_CALLS,
      (after) => listMembers(discord, guildId, { limit: PAGE_SIZE, after }),
      (member) => member.user.id,
      (member) => {
        if (listed.has(member.user.id)) state.memberRoles.set(member.user.id, member.roles);
      },
    );
    state.calls += pages;
  } else {
    await forEachLimited(ids, MEMBER_LOOKUPS_IN_FLIGHT, async (id) => {
      state.calls += 1;
      try {
        state.memberRoles.set(id, (await getMember(discord, guildId, id)).roles);
      } catch (error) {
        if (!isCode(error, RESTJSONErrorCodes.UnknownMember)) throw error;
      }
    });
  }

  const outsiders = ids.filter((id) => !state.memberRoles.has(id));
  if (outsiders.length === 0) return state;
  if (outsiders.length <= INDIVIDUAL_BAN_CHECKS) {
    await forEachLimited(outsiders, MEMBER_LOOKUPS_IN_FLIGHT, async (id) => {
      state.calls += 1;
      try {
        await getBan(discord, guildId, id);
        state.banned.add(id);
      } catch (error) {
        if (!isCode(error, RESTJSONErrorCodes.UnknownBan)) throw error;
      }
    });
    return state;
  }
  const { pages, complete } = await pageAll(
    Math.max(1, PREVIEW_CALLS - state.calls),
    (after) => listBans(discord, guildId, { limit: PAGE_SIZE, after }),
    (ban) => ban.user.id,
    (ban) => {
      if (listed.has(ban.user.id)) state.banned.add(ban.user.id);
    },
  );
  state.calls += pages;
  if (!complete) state.uncheckedBans = outsiders.filter((id) => !state.banned.has(id)).length;
  return state;
}
