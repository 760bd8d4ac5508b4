// A small client for tests of the Discord stand-in's raid-tool routes (discord-channels.test.ts,
// discord-raid-tools.test.ts): one stand-in per file, its REST API with the bot token, its control
// API, and snowflakes no other test uses.
import { afterAll, beforeAll, expect } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../dev/discord/server.ts';

let sequence = 0n;
export function snowflake(): string {
  const time = BigInt(Date.now()) - 1_420_070_400_000n;
  sequence = (sequence + 1n) & 0xfffn;
  return ((time << 22n) | (BigInt(Math.floor(Math.random() * 1024)) << 12n) | sequence).toString();
}

export const bits = (...flags: bigint[]) => String(flags.reduce((acc, flag) => acc | flag, 0n));

/** Starts a stand-in for the file (without rate limits unless asked) and returns its clients. */
export function standInClient(options: { rateLimits?: boolean; now?: () => number } = {}) {
  const botToken = `test-token-${snowflake()}`;
  let standIn: DiscordStandIn;
  beforeAll(async () => {
    standIn = await startDiscordStandIn({
      botToken,
      applicationId: snowflake(),
      rateLimits: options.rateLimits ?? false,
      ...(options.now ? { now: options.now } : {}),
    });
  });
  afterAll(async () => {
    await standIn.close();
  });

  const api = (path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${standIn.apiBase}${path}`, {
      method,
      headers: {
        authorization: `Bot ${botToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const controlRaw = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${standIn.controlUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });

  const control = async <T>(path: string, method = 'GET', body?: unknown): Promise<T> => {
    const response = await controlRaw(path, method, body);
    expect(response.ok, `${method} ${path} → ${response.status}`).toBe(true);
    return (await response.json()) as T;
  };

  return { api, control, controlRaw, standIn: () => standIn };
}

/** A Discord error answer: its status and JSON code. */
export async function expectError(response: Response, status: number, code: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(((await response.json()) as { code: number }).code).toBe(code);
}
