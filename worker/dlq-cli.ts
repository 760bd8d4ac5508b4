// `npm run dlq` (scripts/dlq.ts): argument parsing (pure, tested in dlq-cli.test.ts), replay, the
// confirmation of destructive commands, and the text it prints. Replay does not put events back on
// the stream (that would give them new entry ids, and they could pass the guild's newer events or
// race the relay's own replay): it adds one replay request per guild to the stream, naming the
// guild's waiting dead letters, and the guild's lane replays them, oldest first, through the same
// path as `/modlog set`'s replay, before anything newer; the relay marks each row replayed once
// it is delivered. Running replay twice is harmless (delivered events are deduplicated by id).
import type { Redis } from 'ioredis';
import { type DeadLetterReason, deadLetterReasons } from '../db/schema.ts';
import { isUuidAnyCase } from '../shared/uuids.ts';
import type { DeadLetterFilter, DeadLetterRow, RelayStore } from './store/relay-store.ts';
import { REPLAY_STREAM_FIELD, type ReplayRequest } from './stream/entries.ts';

export const dlqUsage = `Usage: npm run dlq -- <command> [options]

Commands:
  list    [--guild ID] [--event ID] [--reason REASON] [--all] [--json] [--limit N]
          Dead letters waiting to be replayed (--all: replayed ones too), oldest first.
  replay  [--guild ID | --event ID] [--dry-run]
          Asks the relay to replay waiting dead letters: each guild's lane sends them, oldest first,
          before the guild's newer events, and marks them replayed once delivered.
          Skips undecodable entries (purge them) and guilds whose mod-log is off or marked broken
          (\`/modlog set\` replays those by itself).
  purge   --guild ID | --event ID | --replayed | --all  [--yes]
          Deletes dead letters for good: one guild's, one event's, the replayed ones, or all.
          Asks for confirmation; --yes skips it (required when not run from a terminal).

Reasons: ${deadLetterReasons.join(', ')}
Environment: DATABASE_URL (all commands), REDIS_URL and RELAY_STREAM_KEY (replay).`;

export type DlqCommand =
  | { command: 'list'; filter: DeadLetterFilter; json: boolean; limit: number }
  | { command: 'replay'; filter: DeadLetterFilter; dryRun: boolean }
  | { command: 'purge'; filter: DeadLetterFilter; all: boolean; yes?: true }
  | { command: 'help' };

export type ParsedArgs = { ok: true; value: DlqCommand } | { ok: false; error: string };

const snowflake = /^\d{17,20}$/;

const flagsFor: Record<string, { values: string[]; switches: string[] }> = {
  list: { values: ['--guild', '--event', '--reason', '--limit'], switches: ['--all', '--json'] },
  replay: { values: ['--guild', '--event'], switches: ['--dry-run'] },
  purge: { values: ['--guild', '--event'], switches: ['--replayed', '--all', '--yes'] },
};

export function parseDlqArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    return { ok: true, value: { command: 'help' } };
  }
  const known = flagsFor[command];
  if (!known) return { ok: false, error: `unknown command "${command}" (use list, replay or purge)` };
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (known.switches.includes(name)) {
      if (inline !== undefined) return { ok: false, error: `${name} takes no value` };
      switches.add(name);
    } else if (known.values.includes(name)) {
      const value = inline ?? rest[++i];
      if (value === undefined || value === '' || value.startsWith('--'))
        return { ok: false, error: `${name} needs a value` };
      if (values.has(name)) return { ok: false, error: `${name} given twice` };
      values.set(name, value);
    } else {
      return { ok: false, error: `unknown option "${arg}" for ${command}` };
    }
  }
  const guildId = values.get('--guild');
  const eventId = values.get('--event');
  if (guildId !== undefined && !snowflake.test(guildId))
    return { ok: false, error: `--guild must be a guild id (a snowflake), got "${guildId}"` };
  if (eventId !== undefined && !isUuidAnyCase(eventId))
    return { ok: false, error: `--event must be an event id (a UUID), got "${eventId}"` };
  const filter: DeadLetterFilter = {};
  if (guildId) filter.guildId = guildId;
  if (eventId) filter.eventId = eventId;

  switch (command) {
    case 'list': {
      const reason = values.get('--reason');
      if (reason !== undefined) {
        if (!(deadLetterReasons as readonly string[]).includes(reason)) {
          return { ok: false, error: `--reason must be one of ${deadLetterReasons.join(', ')}` };
        }
        filter.reason = reason as DeadLetterReason;
      }
      const limitText = values.get('--limit') ?? '1000';
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1)
        return { ok: false, error: `--limit must be a positive integer, got "${limitText}"` };
      if (!switches.has('--all')) filter.replayed = false;
      return { ok: true, value: { command: 'list', filter, json: switches.has('--json'), limit } };
    }
    case 'replay':
      if (guildId && eventId) return { ok: false, error: 'replay takes --guild or --event, not both' };
      filter.replayed = false;
      return { ok: true, value: { command: 'replay', filter, dryRun: switches.has('--dry-run') } };
    default: {
      const chosen = [
        guildId,
        eventId,
        switches.has('--replayed') || undefined,
        switches.has('--all') || undefined,
      ].filter((x) => x !== undefined);
      if (chosen.length === 0)
        return { ok: false, error: 'purge needs --guild ID, --event ID, --replayed or --all' };
      if (chosen.length > 1)
        return { ok: false, error: 'purge takes one of --guild, --event, --replayed or --all' };
      if (switches.has('--replayed')) filter.replayed = true;
      const value: DlqCommand = { command: 'purge', filter, all: switches.has('--all') };
      if (switches.has('--yes')) value.yes = true;
      return { ok: true, value };
    }
  }
}

/** One line per dead letter, for `list`. */
export function formatDeadLetter(row: DeadLetterRow): string {
  const state = row.replayedAt ? `replayed ${row.replayedAt.toISOString()}` : 'waiting';
  return [
    row.createdAt.toISOString(),
    row.reason.padEnd(17),
    `guild ${row.guildId ?? '-'}`,
    `event ${row.eventId ?? '-'}`,
    `entry ${row.streamEntryId}`,
    state,
    row.detail ? `— ${row.detail}` : '',
  ]
    .join('  ')
    .trimEnd();
}

export interface ReplayReport {
  replayed: DeadLetterRow[];
  skipped: { row: DeadLetterRow; why: string }[];
}

/**
 * Asks the relay to replay the matching waiting dead letters: one replay request per guild on the
 * stream (see the header). Rows stay waiting until the relay has delivered them.
 */
export async function replayDeadLetters(
  store: RelayStore,
  redis: Redis,
  streamKey: string,
  filter: DeadLetterFilter,
  options: { dryRun?: boolean } = {},
): Promise<ReplayReport> {
  const rows = await store.listDeadLetters({ ...filter, replayed: false }, 100_000);
  const targets = new Map<string, Awaited<ReturnType<RelayStore['modlogTarget']>>>();
  const report: ReplayReport = { replayed: [], skipped: [] };
  const byGuild = new Map<string, string[]>();
  for (const row of rows) {
    if (row.reason === 'undecodable' || !row.guildId) {
      report.skipped.push({ row, why: 'undecodable: it would only come back (purge it instead)' });
      continue;
    }
    if (!targets.has(row.guildId)) targets.set(row.guildId, await store.modlogTarget(row.guildId));
    const target = targets.get(row.guildId);
    if (!target) {
      report.skipped.push({ row, why: `guild ${row.guildId} has no mod-log (run /modlog set there first)` });
      continue;
    }
    if (target.broken) {
      report.skipped.push({
        row,
        why: `guild ${row.guildId}'s mod-log is marked broken; /modlog set repairs it and replays its events`,
      });
      continue;
    }
    byGuild.set(row.guildId, [...(byGuild.get(row.guildId) ?? []), row.id]);
    report.replayed.push(row);
  }
  if (!options.dryRun) {
    for (const [guildId, deadLetterIds] of byGuild) {
      const request: ReplayRequest = { guildId, deadLetterIds };
      await redis.xadd(streamKey, '*', REPLAY_STREAM_FIELD, JSON.stringify(request));
    }
  }
  return report;
}

/** Whether a destructive command may go ahead: --yes, else a question on a terminal, else refused. */
export function confirmationNeeded(options: { yes: boolean; interactive: boolean }): 'go' | 'ask' | 'refuse' {
  if (options.yes) return 'go';
  return options.interactive ? 'ask' : 'refuse';
}

/** The question purge asks before deleting. */
export function purgeQuestion(count: number, filter: DeadLetterFilter): string {
  const scope = filter.guildId
    ? `of guild ${filter.guildId}`
    : filter.eventId
      ? `of event ${filter.eventId}`
      : filter.replayed
        ? 'already replayed'
        : 'in total (waiting and replayed)';
  return `Delete ${count} dead letter${count === 1 ? '' : 's'} ${scope} for good? [y/N] `;
}
