// `npm run dlq -- list | replay [--guild ID | --event ID] | purge …`: inspect, replay and purge the
// relay's dead letters. See worker/dlq-cli.ts for the commands (and `npm run dlq -- help`).
import { createInterface } from 'node:readline/promises';
import { createNodeDatabase } from '../db/node.ts';
import { EVENT_STREAM_KEY } from '../shared/events.ts';
import { createRedis } from '../worker/clients.ts';
import {
  confirmationNeeded,
  dlqUsage,
  formatDeadLetter,
  parseDlqArgs,
  purgeQuestion,
  replayDeadLetters,
} from '../worker/dlq-cli.ts';
import { RelayStore } from '../worker/store/relay-store.ts';

function fail(message: string, code = 2): never {
  console.error(`dlq: ${message}\n\n${dlqUsage}`);
  process.exit(code);
}

const parsed = parseDlqArgs(process.argv.slice(2));
if (!parsed.ok) fail(parsed.error);
const args = parsed.value;
if (args.command === 'help') {
  console.log(dlqUsage);
  process.exit(0);
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/lockdown)');
const db = createNodeDatabase(databaseUrl, 2);
const store = new RelayStore(db);
try {
  switch (args.command) {
    case 'list': {
      const rows = await store.listDeadLetters(args.filter, args.limit);
      if (args.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.log('no dead letters');
      else for (const row of rows) console.log(formatDeadLetter(row));
      break;
    }
    case 'replay': {
      const redisUrl = process.env.REDIS_URL;
      if (!redisUrl) fail('REDIS_URL is not set (replay puts events back on the stream)');
      const redis = createRedis(redisUrl, 'lockdown-dlq');
      try {
        const streamKey = process.env.RELAY_STREAM_KEY?.trim() || EVENT_STREAM_KEY;
        const report = await replayDeadLetters(store, redis, streamKey, args.filter, { dryRun: args.dryRun });
        for (const row of report.replayed)
          console.log(`${args.dryRun ? 'would replay' : 'queued'}  ${formatDeadLetter(row)}`);
        for (const { row, why } of report.skipped)
          console.log(`skipped   ${row.eventId ?? row.streamEntryId}: ${why}`);
        console.log(
          `${report.replayed.length} ${args.dryRun ? 'would be replayed' : `replayed to ${streamKey}`}, ${report.skipped.length} skipped`,
        );
        if (!args.dryRun && report.replayed.length > 0)
          console.log(
            "the relay sends them through each guild's lane, oldest first, and marks them replayed",
          );
      } finally {
        redis.disconnect();
      }
      break;
    }
    case 'purge': {
      const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const decision = confirmationNeeded({ yes: args.yes === true, interactive });
      if (decision === 'refuse') fail('purge deletes for good: run it from a terminal, or add --yes');
      if (decision === 'ask') {
        const count = (await store.listDeadLetters(args.filter, 1_000_000)).length;
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await prompt.question(purgeQuestion(count, args.filter));
        prompt.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          console.log('nothing purged');
          break;
        }
      }
      const removed = await store.purgeDeadLetters(args.filter);
      console.log(`${removed} dead letter${removed === 1 ? '' : 's'} purged`);
      break;
    }
  }
} catch (error) {
  console.error(`dlq: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.$client.end();
}
