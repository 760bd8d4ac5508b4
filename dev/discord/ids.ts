// Ids, timestamps and tokens in Discord's formats: snowflakes that sort by creation time, the
// microsecond timestamp with an explicit offset, and webhook tokens of Discord's length.
import { randomBytes } from 'node:crypto';
import { DISCORD_EPOCH } from '../../shared/snowflakes.ts';

let lastTimestamp = 0n;
let increment = 0n;

/** A fresh snowflake: creation time in the high bits, so ids sort by age as Discord's do. */
export function nextSnowflake(nowMs: number = Date.now()): string {
  const timestamp = BigInt(nowMs) - DISCORD_EPOCH;
  if (timestamp === lastTimestamp) increment = (increment + 1n) & 0xfffn;
  else increment = 0n;
  lastTimestamp = timestamp;
  return ((timestamp << 22n) | (1n << 17n) | increment).toString();
}

/** Discord's timestamp format: microseconds and an explicit offset, e.g. 2024-01-01T00:00:00.000000+00:00. */
export function discordTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace('Z', '000+00:00');
}

export function newWebhookToken(): string {
  return randomBytes(51).toString('base64url');
}
