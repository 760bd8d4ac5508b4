// The hosted services, locally: migrates the Postgres database, then starts the Neon HTTP and
// Upstash REST stand-ins over this machine's Postgres and Redis and the Discord stand-in, and returns
// the Worker bindings that point at them. Used by the tests, the benchmarks and `npm run dev`.
// Below it, what `npm run dev` falls back on when nothing is configured: an embedded Postgres (PGlite)
// and a private redis-server.
import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { migrateDatabase } from '../db/migrate.ts';
import { type DiscordStandIn, type PageHandler, startDiscordStandIn } from './discord/server.ts';
import { type NeonHttpServer, startNeonHttpServer } from './neon-http-server.ts';
import { startUpstashRestServer, type UpstashRestServer } from './upstash-rest-server.ts';

/** The Worker's configuration (see functions/env.ts) as the local stack provides it. */
export interface LocalBindings {
  DISCORD_APPLICATION_ID: string;
  DISCORD_PUBLIC_KEY: string;
  DISCORD_BOT_TOKEN: string;
  DISCORD_API_BASE: string;
  DATABASE_URL: string;
  NEON_HTTP_ENDPOINT: string;
  UPSTASH_REDIS_REST_URL: string;
  UPSTASH_REDIS_REST_TOKEN: string;
}

export interface LocalStackOptions {
  databaseUrl: string;
  redisUrl: string;
  applicationId: string;
  botToken: string;
  upstashToken: string;
  /** Fixed ports for `npm run dev`; 0 (any free port) for tests and benchmarks. */
  ports?: { neon?: number; upstash?: number; discord?: number };
  /** Use a real Discord (or another stand-in) instead of starting the local one. */
  discordApiBase?: string;
  /** An existing public key (a real application's); otherwise a key pair is generated. */
  publicKey?: string;
  discordRateLimits?: boolean;
  /** Extra pages the Discord stand-in serves (the sandbox page: dev/sandbox/server.ts). */
  discordPages?: PageHandler;
}

export interface LocalStack {
  bindings: LocalBindings;
  /** PKCS#8, base64: the private half of a generated DISCORD_PUBLIC_KEY, to sign interactions locally. */
  signingKeyPkcs8: string | null;
  neon: NeonHttpServer;
  upstash: UpstashRestServer;
  discord: DiscordStandIn | null;
  close(): Promise<void>;
}

export async function generateSigningKeys() {
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const publicKey = Buffer.from(await webcrypto.subtle.exportKey('raw', pair.publicKey)).toString('hex');
  const privateKey = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)).toString(
    'base64',
  );
  return { publicKey, privateKey };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  await migrateDatabase(options.databaseUrl);
  const [neon, upstash, discord, keys] = await Promise.all([
    startNeonHttpServer({ port: options.ports?.neon }),
    startUpstashRestServer({
      redisUrl: options.redisUrl,
      token: options.upstashToken,
      port: options.ports?.upstash,
    }),
    options.discordApiBase
      ? null
      : startDiscordStandIn({
          botToken: options.botToken,
          applicationId: options.applicationId,
          port: options.ports?.discord,
          rateLimits: options.discordRateLimits,
          pages: options.discordPages,
        }),
    options.publicKey ? null : generateSigningKeys(),
  ]);
  return {
    bindings: {
      DISCORD_APPLICATION_ID: options.applicationId,
      DISCORD_PUBLIC_KEY: options.publicKey ?? (keys as { publicKey: string }).publicKey,
      DISCORD_BOT_TOKEN: options.botToken,
      DISCORD_API_BASE: options.discordApiBase ?? (discord as DiscordStandIn).apiBase,
      DATABASE_URL: options.databaseUrl,
      NEON_HTTP_ENDPOINT: neon.endpoint,
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: options.upstashToken,
    },
    signingKeyPkcs8: keys?.privateKey ?? null,
    neon,
    upstash,
    discord,
    async close() {
      await Promise.all([neon.close(), upstash.close(), discord?.close()]);
    },
  };
}

// ---- Embedded defaults for `npm run dev` and the end-to-end tests: Postgres and Redis without an install ----

/**
 * An embedded Postgres: PGlite (Postgres compiled to WebAssembly, in this process) behind a
 * Postgres wire-protocol server on 127.0.0.1, so every client (the Neon HTTP stand-in, drizzle's
 * migrator, the relay's `pg` pool in another process) connects with a plain `postgres://` URL.
 *
 * PGlite is one Postgres backend: one session. @electric-sql/pglite-socket, its own TCP server, was
 * tried and is not used: up to 0.0.20 it serves one connection at a time (the next waits, up to 60 s,
 * for the first to close), which the dev stack cannot live with (the Neon stand-in, the migrator and
 * the relay each keep pooled connections open); 0.2.x refuses a second connection unless
 * `maxConnections` is raised, and its multiplexer then interleaves clients one protocol *message* at a
 * time, so one client's Bind meets another's Parse on the shared unnamed statement ("bind message
 * supplies 2 parameters, but prepared statement "" requires 1") and an error makes the backend skip
 * other clients' messages. This server multiplexes by *protocol turn* instead: a connection owns the
 * backend from its first message until the backend answers ReadyForQuery with status idle — a whole
 * simple query, a whole extended-protocol Parse…Sync sequence, or a whole transaction (BEGIN…COMMIT).
 * Other connections wait their turn; one that vanishes mid-turn is synced and rolled back.
 * Any number of clients and pool sizes work; the limits are Postgres-in-one-session ones: session
 * settings, named prepared statements, temp tables and session advisory locks are shared by all
 * connections, and a client that waits inside a transaction for another connection deadlocks.
 */
export interface EmbeddedPostgres {
  /** postgres://postgres:postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Where the data lives ('memory://' for a throwaway database). */
  dataDir: string;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** The ReadyForQuery status ('I' idle, 'T' in a transaction, 'E' failed transaction) last seen in `bytes`, if any. */
function lastReadyStatus(bytes: Uint8Array): string | null {
  let status: string | null = null;
  let offset = 0;
  while (offset + 5 <= bytes.length) {
    const type = bytes[offset] as number;
    const length =
      ((bytes[offset + 1] as number) << 24) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 8) |
      (bytes[offset + 4] as number);
    if (type === 0x5a && length === 5 && offset + 6 <= bytes.length) {
      status = String.fromCharCode(bytes[offset + 5] as number);
    }
    offset += 1 + length;
  }
  return status;
}

function frontendMessage(type: string, body: Buffer = Buffer.alloc(0)): Uint8Array {
  const message = Buffer.alloc(5 + body.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}
const SYNC = frontendMessage('S');
const ROLLBACK = frontendMessage('Q', Buffer.from('ROLLBACK\0'));

export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number; host?: string; log?: (line: string) => void } = {},
): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
  }
  const db = await PGlite.create({ dataDir, relaxedDurability: true });
  const log = options.log ?? (() => {});

  // The turn lock: one connection at a time talks to the backend.
  type Turn = { id: number };
  let owner: Turn | null = null;
  const waiting: { turn: Turn; grant: () => void }[] = [];
  const acquire = (turn: Turn): Promise<void> => {
    if (owner === turn) return Promise.resolve();
    if (owner === null) {
      owner = turn;
      return Promise.resolve();
    }
    return new Promise<void>((grant) => waiting.push({ turn, grant }));
  };
  const release = (turn: Turn) => {
    if (owner !== turn) return;
    const next = waiting.shift();
    owner = next?.turn ?? null;
    next?.grant();
  };
  const exec = (message: Uint8Array, onData: (chunk: Uint8Array) => void) =>
    db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: onData }));

  let nextId = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const turn: Turn = { id: ++nextId };
    let buffer = Buffer.alloc(0);
    let started = false;
    /** The backend's last ReadyForQuery status in this connection's turns ('I' idle, 'T'/'E' in a transaction). */
    let status = 'I';
    /** Between a message and its ReadyForQuery (an unfinished Parse…Sync sequence). */
    let midTurn = false;
    let closed = false;
    let chain = Promise.resolve();

    const run = async (message: Uint8Array) => {
      await acquire(turn);
      if (closed) return;
      const output: Uint8Array[] = [];
      await exec(message, (chunk) => {
        output.push(chunk);
        if (!socket.destroyed) socket.write(chunk);
      });
      const seen = lastReadyStatus(Buffer.concat(output));
      if (seen) {
        status = seen;
        midTurn = false;
      } else {
        midTurn = true;
      }
      if (!midTurn && status === 'I') release(turn);
    };

    const cleanUp = async () => {
      if (owner !== turn) {
        const index = waiting.findIndex((w) => w.turn === turn);
        if (index >= 0) waiting.splice(index, 1);
        return;
      }
      // Left mid-turn or inside a transaction: end both, so the next connection starts clean.
      if (midTurn) await exec(SYNC, () => {});
      if (midTurn || status !== 'I') await exec(ROLLBACK, () => {});
      release(turn);
    };

    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      const messages: Uint8Array[] = [];
      while (buffer.length >= 4) {
        if (!started) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (length < 8 || length > 10_000) {
            socket.destroy();
            break;
          }
          if (buffer.length < length) break;
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N');
          else if (code === CANCEL_REQUEST) socket.end();
          else if (code === PROTOCOL_3) {
            started = true;
            messages.push(new Uint8Array(message));
          } else socket.destroy();
          continue;
        }
        if (buffer.length < 5) break;
        const length = 1 + buffer.readInt32BE(1);
        if (length < 5) {
          socket.destroy();
          break;
        }
        if (buffer.length < length) break;
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (message[0] === 0x58 /* Terminate */) {
          socket.end();
          continue;
        }
        messages.push(new Uint8Array(message));
      }
      for (const message of messages) {
        chain = chain
          .then(() => run(message))
          .catch((error: unknown) => {
            log(`embedded postgres: connection ${turn.id}: ${(error as Error).message}`);
            socket.destroy();
          });
      }
    });
    const onClose = () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      chain = chain.then(cleanUp).catch(() => release(turn));
    };
    socket.on('close', onClose);
    socket.on('error', onClose);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`embedded postgres: ${error.message}`));
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    port,
    dataDir,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

/** A redis-server of our own, in the foreground as a child process: nothing saved, gone when it stops. */
export interface PrivateRedis {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startPrivateRedis(options: { port?: number } = {}): Promise<PrivateRedis> {
  const port = options.port || (await freePort());
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Never outlives this process, even when it ends without stopping it.
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  child.once('exit', () => process.off('exit', killNow));
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start on ${port}:\n${output}`)),
      10_000,
    );
    const check = () => {
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${output}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
