import { describe, expect, it } from 'vitest';
import type { ModlogTarget } from '../store/relay-store.ts';
import { ModlogCache } from './modlog-cache.ts';

const target = (webhookId: string): ModlogTarget => ({
  guildId: 'g',
  channelId: 'c',
  webhook: { id: webhookId, token: 't' },
  owned: false,
  broken: null,
});

describe('ModlogCache', () => {
  it('loads once, then serves from memory until the time to live runs out', async () => {
    let now = 0;
    let loads = 0;
    const cache = new ModlogCache({
      ttlMs: 100,
      now: () => now,
      load: async () => {
        loads++;
        return target('w1');
      },
    });
    await cache.get('g');
    await cache.get('g');
    expect(loads).toBe(1);
    now = 100;
    await cache.get('g');
    expect(loads).toBe(2);
  });

  it('caches "no mod-log" too, and reloads after invalidate', async () => {
    let current: ModlogTarget | null = null;
    const cache = new ModlogCache({ ttlMs: 60_000, load: async () => current });
    expect(await cache.get('g')).toBeNull();
    current = target('w2');
    expect(await cache.get('g')).toBeNull();
    cache.invalidate('g');
    expect((await cache.get('g'))?.webhook.id).toBe('w2');
  });

  it('keeps at most maxEntries guilds', async () => {
    const cache = new ModlogCache({ ttlMs: 60_000, maxEntries: 2, load: async () => null });
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    expect(cache.size).toBe(2);
  });
});
