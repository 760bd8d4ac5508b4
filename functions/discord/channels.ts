// Typed Discord routes for channels and raid tools: listing a guild's channels, @everyone's
// permission overwrite, slowmode, and Discord's own incident actions (raid mode). One function per
// route, over DiscordRest, like api.ts.
import type { APIChannel, APIGuildChannel, APIIncidentsData, GuildChannelType } from 'discord-api-types/v10';
import { type OverwriteBits, overwriteBody } from '../lockdown/overwrites.ts';
import { DiscordApiError, type DiscordRest } from './rest.ts';

/** Discord's JSON error code for an overwrite that does not exist. */
const UNKNOWN_OVERWRITE = 10009;

type Audit = { auditLogReason?: string };
export type GuildChannel = APIGuildChannel<GuildChannelType> & { rate_limit_per_user?: number };

export const listGuildChannels = (rest: DiscordRest, guildId: string) =>
  rest.request<GuildChannel[]>('GET', `/guilds/${guildId}/channels`);

export const getChannel = (rest: DiscordRest, channelId: string) =>
  rest.request<APIChannel>('GET', `/channels/${channelId}`);

/** Sets a role's overwrite in a channel (@everyone's id is the guild's). Answers 204. */
export const putRoleOverwrite = (
  rest: DiscordRest,
  channelId: string,
  roleId: string,
  overwrite: OverwriteBits,
  options: Audit = {},
) =>
  rest.request<void>('PUT', `/channels/${channelId}/permissions/${roleId}`, {
    body: overwriteBody(overwrite),
    auditLogReason: options.auditLogReason,
  });

/** Deletes an overwrite; one already gone (10009, e.g. a retry after a timed-out DELETE) is done too. */
export const deleteOverwrite = (
  rest: DiscordRest,
  channelId: string,
  overwriteId: string,
  options: Audit = {},
) =>
  rest
    .request<void>('DELETE', `/channels/${channelId}/permissions/${overwriteId}`, {
      auditLogReason: options.auditLogReason,
    })
    .catch((error: unknown) => {
      if (error instanceof DiscordApiError && error.code === UNKNOWN_OVERWRITE) return;
      throw error;
    });

export const setSlowmode = (rest: DiscordRest, channelId: string, seconds: number, options: Audit = {}) =>
  rest.request<GuildChannel>('PATCH', `/channels/${channelId}`, {
    body: { rate_limit_per_user: seconds },
    auditLogReason: options.auditLogReason,
  });

/** Pauses (a Date) or resumes (null) invites and DMs; answers the guild's `incidents_data`. */
export const putIncidentActions = (
  rest: DiscordRest,
  guildId: string,
  until: { invites: Date | null; dms: Date | null },
  options: Audit = {},
) =>
  rest.request<APIIncidentsData>('PUT', `/guilds/${guildId}/incident-actions`, {
    body: {
      invites_disabled_until: until.invites?.toISOString() ?? null,
      dms_disabled_until: until.dms?.toISOString() ?? null,
    },
    auditLogReason: options.auditLogReason,
  });
