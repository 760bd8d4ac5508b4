// Discord's snowflake ids: milliseconds since Discord's epoch in the high bits, so ids sort by
// creation time, and an id can stand for a moment (an audit-log cursor "now").
export const DISCORD_EPOCH = 1_420_070_400_000n;

/** The time (ms) a snowflake was made at. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** A snowflake of `atMs` with the given low bits: the smallest id of that millisecond when 0. */
export function snowflakeAt(atMs: number, low = 0n): string {
  return (((BigInt(atMs) - DISCORD_EPOCH) << 22n) | low).toString();
}

const MAX_SNOWFLAKE = (1n << 64n) - 1n;

/** A snowflake as Discord gives user ids: 17 to 20 digits, within 64 bits. */
export function isSnowflake(text: string): boolean {
  return /^\d{17,20}$/.test(text) && BigInt(text) <= MAX_SNOWFLAKE;
}
