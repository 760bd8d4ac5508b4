// An embedded Postgres for `npm run dev` and the end-to-end tests: PGlite (Postgres compiled to
// WebAssembly, in this process) behind a Postgres wire-protocol server on 127.0.0.1, so every client
// (the Neon HTTP stand-in, drizzle's migrator, the relay's `pg` pool in another process) connects
// with a plain `postgres://` URL and nobody has to install Postgres to try the bot.
//
// Why a server of our own: PGlite is one Postgres backend, one session. @electric-sql/pglite-socket,
// its own TCP server, was tried and is not used: up to 0.0.20 it serves one connection at a time (the
// next waits, up to 60 s, for the first to close), which the dev stack cannot live with (the Neon
// stand-in, the migrator and the relay each keep pooled connections open); 0.2.x refuses a second
// connection unless `maxConnections` is raised, and its multiplexer then interleaves clients one
// protocol *message* at a time, so one client's Bind meets another's Parse on the shared unnamed
// statement ("bind message supplies 2 parameters, but prepared statement "" requires 1") and an error
// makes the backend skip other clients' messages. This server multiplexes by *protocol turn* instead
// (turns.ts): a connection owns the backend from its first message until the backend answers
// ReadyForQuery with status idle — a whole simple query, a whole extended-protocol Parse…Sync
// sequence, or a whole transaction (BEGIN…COMMIT). Other connections wait their turn; one that
// vanishes mid-turn is synced and rolled back.
//
// Any number of clients and pool sizes work; the limits are Postgres-in-one-session ones: session
// settings, named prepared statements, temp tables and session advisory locks are shared by all
// connections, and a client that waits inside a transaction for another connection deadlocks.
import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { listen, stopListening } from '../net.ts';
import { type Turn, TurnLock } from './turns.ts';
import {
  CANCEL_REQUEST,
  GSSENC_REQUEST,
  lastReadyStatus,
  nextPacket,
  PROTOCOL_3,
  ROLLBACK,
  SSL_REQUEST,
  SYNC,
  TERMINATE,
} from './wire.ts';

export interface EmbeddedPostgres {
  /** postgres://postgres:postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** Where the data lives ('memory://' for a throwaway database). */
  dataDir: string;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A folder, or 'memory://' (the default) for a throwaway database. */
  dataDir?: string;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, relaxedDurability: true });
  const log = options.log ?? (() => {});
  const lock = new TurnLock();

  let nextId = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, { id: ++nextId }, db, lock, log);
  });

  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  server.on('error', (error) => log(`embedded postgres: ${error.message}`));
  return {
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    port,
    dataDir,
    async close() {
      for (const socket of sockets) socket.destroy();
      await stopListening(server);
      await db.close();
    },
  };
}

/** One client connection: frames its packets, runs each in its turn, and cleans up when it goes. */
function serveConnection(
  socket: Socket,
  turn: Turn,
  db: PGlite,
  lock: TurnLock,
  log: (line: string) => void,
) {
  socket.setNoDelay(true);
  const exec = (message: Uint8Array, onData: (chunk: Uint8Array) => void) =>
    db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: onData }));
  let buffer = Buffer.alloc(0);
  let started = false;
  /** The backend's last ReadyForQuery status in this connection's turns ('I' idle, 'T'/'E' in a transaction). */
  let status = 'I';
  /** Between a message and its ReadyForQuery (an unfinished Parse…Sync sequence). */
  let midTurn = false;
  let closed = false;
  let chain = Promise.resolve();

  const run = async (message: Uint8Array) => {
    await lock.acquire(turn);
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
    if (!midTurn && status === 'I') lock.release(turn);
  };

  const cleanUp = async () => {
    if (!lock.holds(turn)) return lock.withdraw(turn);
    // Left mid-turn or inside a transaction: end both, so the next connection starts clean.
    if (midTurn) await exec(SYNC, () => {});
    if (midTurn || status !== 'I') await exec(ROLLBACK, () => {});
    lock.release(turn);
  };

  /** The packets complete in the buffer; answers the startup negotiation itself. */
  const framedMessages = (): Uint8Array[] => {
    const messages: Uint8Array[] = [];
    for (;;) {
      const framed = nextPacket(buffer, started);
      if (framed.kind === 'incomplete') break;
      if (framed.kind === 'invalid') {
        socket.destroy();
        break;
      }
      buffer = framed.rest;
      if (framed.kind === 'startup') {
        if (framed.code === SSL_REQUEST || framed.code === GSSENC_REQUEST) socket.write('N');
        else if (framed.code === CANCEL_REQUEST) socket.end();
        else if (framed.code === PROTOCOL_3) {
          started = true;
          messages.push(new Uint8Array(framed.packet));
        } else socket.destroy();
      } else if (framed.packet[0] === TERMINATE) {
        socket.end();
      } else {
        messages.push(new Uint8Array(framed.packet));
      }
    }
    return messages;
  };

  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    for (const message of framedMessages()) {
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
    chain = chain.then(cleanUp).catch(() => lock.release(turn));
  };
  socket.on('close', onClose);
  socket.on('error', onClose);
}
