// The limits and choices the commands share with their handlers (durations, lengths, Discord's own
// caps): one place, so a definition's bound and the handler's check can never disagree.
import { ChannelType } from 'discord-api-types/v10';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Discord's limit for audit-log reasons, which is also ours for case reasons. */
export const MAX_REASON_LENGTH = 512;
/** Case numbers are Postgres `integer`s: the largest one a case can have. */
export const MAX_CASE_NUMBER = 2_147_483_647;
/** Temporary bans: one minute to one year. */
export const BAN_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 365 * DAY };
/** Mutes: one minute to one year; past Discord's 28-day timeout cap the scheduler renews the timeout. */
export const MUTE_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 365 * DAY };
/** Discord caps `communication_disabled_until` at 28 days from now. */
export const DISCORD_TIMEOUT_CAP_MS = 28 * DAY;

/** `/ban delete_messages` choices, as seconds for `delete_message_seconds` (Discord allows 0..604800). */
export const deleteMessageChoices = [
  { name: "Don't delete any", value: 'none', seconds: 0 },
  { name: 'Previous hour', value: '1h', seconds: 3_600 },
  { name: 'Previous 6 hours', value: '6h', seconds: 21_600 },
  { name: 'Previous 12 hours', value: '12h', seconds: 43_200 },
  { name: 'Previous 24 hours', value: '24h', seconds: 86_400 },
  { name: 'Previous 3 days', value: '3d', seconds: 259_200 },
  { name: 'Previous 7 days', value: '7d', seconds: 604_800 },
] as const;

/** `/modlog import since:` — Discord keeps audit-log entries for 45 days, so nothing older exists. */
export const AUDIT_LOG_RETENTION_MS = 45 * DAY;
export const IMPORT_DURATION_BOUNDS = { minMs: MINUTE, maxMs: AUDIT_LOG_RETENTION_MS };

/** Timed lockdowns: one minute to 30 days (the scheduler restores the channels at the end). */
export const LOCKDOWN_DURATION_BOUNDS = { minMs: MINUTE, maxMs: 30 * DAY };
/** Timed slowmodes: as lockdowns (the scheduler puts the previous interval back at the end). */
export const SLOWMODE_DURATION_BOUNDS = LOCKDOWN_DURATION_BOUNDS;
/** Discord pauses invites and DMs for at most 24 hours (`PUT /guilds/{id}/incident-actions`). */
export const RAIDMODE_DURATION_BOUNDS = { minMs: MINUTE, maxMs: DAY };
export const RAIDMODE_DEFAULT_MS = DAY;
/** The notice a lockdown can post in each locked channel; Discord's message limit is 2,000. */
export const MAX_LOCK_NOTICE_LENGTH = 1_000;
/** `/massban users`: Discord's limit for a string option. */
export const MAX_MASSBAN_TEXT_LENGTH = 6_000;
/** Most users one /massban may name (text and file together): 25 bulk-ban calls of 200. */
export const MAX_MASSBAN_USERS = 5_000;
/** Discord's cap on `user_ids` in one `POST /guilds/{id}/bulk-ban`. */
export const BULK_BAN_CHUNK = 200;
/** A massban preview can be confirmed for this long (an interaction token lives 15 minutes). */
export const MASSBAN_CONFIRM_WINDOW_MS = 15 * MINUTE;

/**
 * `/slowmode interval` choices, as Discord's own channel settings offer them; `seconds` is the
 * channel's `rate_limit_per_user` (Discord allows 0..21600).
 */
export const slowmodeChoices = [
  { name: 'Off', value: 'off', seconds: 0 },
  { name: '5 seconds', value: '5s', seconds: 5 },
  { name: '10 seconds', value: '10s', seconds: 10 },
  { name: '15 seconds', value: '15s', seconds: 15 },
  { name: '30 seconds', value: '30s', seconds: 30 },
  { name: '1 minute', value: '1m', seconds: 60 },
  { name: '2 minutes', value: '2m', seconds: 120 },
  { name: '5 minutes', value: '5m', seconds: 300 },
  { name: '10 minutes', value: '10m', seconds: 600 },
  { name: '15 minutes', value: '15m', seconds: 900 },
  { name: '30 minutes', value: '30m', seconds: 1_800 },
  { name: '1 hour', value: '1h', seconds: 3_600 },
  { name: '2 hours', value: '2h', seconds: 7_200 },
  { name: '6 hours', value: '6h', seconds: 21_600 },
] as const;

/** Channels a lockdown can lock: where members write (text, announcement, forum). */
export const LOCKABLE_CHANNEL_TYPES = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
] as const;

/** `/purge count`: Discord's `limit` for Get Channel Messages and bulk-delete's 100 ids. */
export const MAX_PURGE_COUNT = 100;
/** Discord bulk-deletes only messages younger than two weeks (error 50034 otherwise). */
export const BULK_DELETE_MAX_AGE_MS = 14 * DAY;
/** `/reasons`: a saved reason's name (what a moderator types) and how many a server keeps. */
export const MAX_SAVED_REASON_NAME_LENGTH = 32;
export const MAX_SAVED_REASONS = 100;
/** Autocomplete answers at most 25 choices, each name and string value at most 100 characters. */
export const MAX_AUTOCOMPLETE_CHOICES = 25;
export const MAX_CHOICE_LENGTH = 100;
