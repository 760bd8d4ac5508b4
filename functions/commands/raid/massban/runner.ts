// Carries a confirmed massban forward, chunk by chunk, for whoever holds its claim: the confirming
// click's invocation (within its limits, after answering) or a scheduled tick. Per chunk of up to
// BULK_BAN_CHUNK users: one `POST /guilds/{id}/bulk-ban`, then one transaction recording a case per
// banned user (store.ts `recordChunk`), then a progress edit of the preview message.
// - Discord's 500000 (it banned none of them) and other refusals make the chunk's users failed.
// - A 429 is waited out (within the limits); a 5xx, timeout or network error may have banned the
//   chunk without our hearing it, so the run stops and the chunk is sent again by the next run.
// - A database failure after Discord banned a chunk stops the run with `next_index` unmoved: the
//   next run (the scheduler, once the claim lapsed) sends the chunk again. Such a repeated chunk
//   is a `resumed` run's first: the users Discord now reports as failed are looked up
//   (`GET /guilds/{id}/bans/{user}`) and those banned are recorded as banned, so nobody banned goes
//   without a case, and a user with a case of this massban is never recorded twice.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { BULK_BAN_CHUNK } from '../../../../shared/command-definitions.ts';
import type { LockdownEvent } from '../../../../shared/events.ts';
import { bulkBan, getBan, getUser } from '../../../discord/api.ts';
import { DiscordApiError } from '../../../discord/rest.ts';
import { auditLogReason } from '../../../moderation/notices.ts';
import { SUBREQUEST_COST } from '../../../scheduled/budget.ts';
import type { Services } from '../../../services.ts';
import { forEachLimited } from './lookups.ts';
import { type MassbanRow, readMassban, recordChunk, recordedUsers, releaseMassban } from './store.ts';

/** 429s a chunk waits out before the run ends. */
const MAX_RATE_LIMIT_WAITS = 3;
/**
 * Most a chunk sends besides ban checks: read, bulk-ban (429 retries and budget slots included),
 * record, edit (a webhook-token call: no budget slot).
 */
export const CHUNK_COST = 1 + SUBREQUEST_COST.discord * (1 + MAX_RATE_LIMIT_WAITS) + 2 + 2;
/** Ban checks in flight at once on a resumed chunk. */
const CHECKS_IN_FLIGHT = 5;
/** The longest 429 wait a run sits out; longer ones end the run (the next one goes on). */
const MAX_RATE_LIMIT_WAIT_MS = 5_000;

export interface MassbanLimits {
  /** Requests this run may still send; a chunk starts only if its cost fits. */
  requests: number;
  timeLeft(): boolean;
  now(): Date;
  /** The run takes over a massban whose last chunk may have reached Discord unrecorded. */
  resumed: boolean;
  /** The moderator as the audit log names them; looked up when not given. */
  moderator?: { id: string; username: string };
  /** Told after each recorded chunk. Never throws. */
  progress?(row: MassbanRow, sent: number): Promise<void>;
  sleep?(ms: number): Promise<void>;
}

export interface MassbanRun {
  state: MassbanRow['state'] | 'gone';
  events: LockdownEvent[];
  chunks: number;
  /** Discord refused a whole chunk with 500000 (none banned). */
  noneBanned: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ChunkAnswer = { banned: string[]; failed: string[] } | 'stop';

async function sendChunk(
  services: Services,
  row: MassbanRow,
  userIds: string[],
  reason: string,
  limits: MassbanLimits,
  run: MassbanRun,
): Promise<ChunkAnswer> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await bulkBan(services.discord, row.guildId, userIds, {
        deleteMessageSeconds: row.deleteMessageSeconds,
        auditLogReason: reason,
      });
      return { banned: answer.banned_users ?? [], failed: answer.failed_users ?? [] };
    } catch (error) {
      if (!(error instanceof DiscordApiError) || error.outcomeUnknown) throw error;
      if (error.status === 429) {
        const ms = Math.ceil((error.retryAfterSeconds ?? 1) * 1000);
        if (attempt >= MAX_RATE_LIMIT_WAITS || ms > MAX_RATE_LIMIT_WAIT_MS || !limits.timeLeft())
          return 'stop';
        await (limits.sleep ?? wait)(ms);
        continue;
      }
      if (error.code === RESTJSONErrorCodes.FailedToBanUsers) run.noneBanned += 1;
      // Any other refusal (500000, missing permissions…) is the chunk's outcome: none banned.
      return { banned: [], failed: userIds };
    }
  }
}

/** Of `failed`, those Discord has banned now (a repeated chunk it had carried out before). */
async function bannedNow(
  services: Services,
  guildId: string,
  failed: readonly string[],
): Promise<Set<string>> {
  const banned = new Set<string>();
  await forEachLimited(failed, CHECKS_IN_FLIGHT, async (userId) => {
    try {
      await getBan(services.discord, guildId, userId);
      banned.add(userId);
    } catch (error) {
      if (!(error instanceof DiscordApiError && error.code === RESTJSONErrorCodes.UnknownBan)) throw error;
    }
  });
  return banned;
}

async function moderatorOf(services: Services, row: MassbanRow, limits: MassbanLimits) {
  if (limits.moderator) return limits.moderator;
  try {
    const user = await getUser(services.discord, row.moderatorId);
    return { id: user.id, username: user.username };
  } catch {
    return { id: row.moderatorId, username: 'moderator' };
  }
}

/** Runs the claimed massban `id` until done or the limits are reached; never leaves it claimed. */
export async function advanceMassban(
  services: Services,
  id: string,
  limits: MassbanLimits,
): Promise<MassbanRun> {
  const { db } = services;
  const run: MassbanRun = { state: 'banning', events: [], chunks: 0, noneBanned: 0 };
  let requests = limits.requests;
  let resumed = limits.resumed;
  let reason: string | null = null;
  // Released at the end unless another holder took the massban over (its claim is not ours).
  let release = true;
  try {
    while (requests >= CHUNK_COST && limits.timeLeft()) {
      requests -= CHUNK_COST;
      const row = await readMassban(db, id);
      if (!row) {
        run.state = 'gone';
        return run;
      }
      run.state = row.state;
      if (row.state !== 'banning') return run;
      reason ??= auditLogReason(await moderatorOf(services, row, limits), row.reason);
      const from = row.nextIndex;
      const userIds = row.userIds.slice(from, from + BULK_BAN_CHUNK);
      const answer = await sendChunk(services, row, userIds, reason, limits, run);
      if (answer === 'stop') break;
      let { banned, failed } = answer;
      if (resumed && failed.length > 0) {
        if (failed.length * 2 > requests) break;
        requests -= failed.length * 2;
        const now = await bannedNow(services, row.guildId, failed);
        banned = [...banned, ...failed.filter((u) => now.has(u))];
        failed = failed.filter((u) => !now.has(u));
      }
      if (resumed) {
        const already = await recordedUsers(db, row.id, banned);
        banned = banned.filter((u) => !already.has(u));
      }
      const events = await recordChunk(db, {
        row,
        from,
        length: userIds.length,
        banned,
        failed,
        now: limits.now(),
      });
      if (events === null) {
        release = false; // another holder recorded this chunk and carries on
        break;
      }
      resumed = false;
      run.chunks += 1;
      run.events.push(...events);
      const sent = from + userIds.length;
      if (sent >= row.userIds.length) {
        run.state = 'done';
        return run;
      }
      if (limits.progress) await limits.progress(row, sent);
    }
  } finally {
    if (release && run.state === 'banning') await releaseMassban(db, id).catch(() => {});
  }
  return run;
}
