// Small TCP helpers the local servers share: listening (an address in use rejects instead of
// crashing the process), closing, and asking the OS for a free port.
import type { Server } from 'node:net';
import { type AddressInfo, createServer } from 'node:net';

/** Listens on `port` (0: any free one) at `host`; resolves with the port bound. */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops accepting connections and resolves once the open ones have ended. */
export function stopListening(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  const port = await listen(server, 0, host);
  await stopListening(server);
  return port;
}
