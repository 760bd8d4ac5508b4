// The world of the sandbox server's tests (raid-tools, app-commands, components-autocomplete,
// test/node/sandbox-pages): a real
// Discord stand-in seeded with the sandbox guild, the page server (server.ts) mounted on it, and in
// the Worker's place a recorder that checks each interaction's signature as the Worker does, keeps
// it, and answers what the test set last. Test support only; nothing here is served.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyKey } from 'discord-interactions';
import { afterAll, beforeAll } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../discord/server.ts';
import { generateSigningKeys } from '../local-stack.ts';
import { sandboxGuild as g, sandboxGuildSeed, sandboxOutsiders } from './seed.ts';
import { createSandboxPages } from './server.ts';

export const APPLICATION_ID = '1100000000000000001';

/** An interaction as the recorder received it (the fields the tests read). */
export type Received = Record<string, unknown> & {
  type: number;
  id: string;
  token: string;
  channel_id: string;
  member: { user: { id: string }; permissions: string };
  app_permissions: string;
  data: Record<string, unknown>;
  message?: Record<string, unknown>;
};

export interface SandboxHarness {
  /** Everything the recorder received, oldest first, with whether its signature held. */
  received: { verified: boolean; interaction: Received }[];
  /** The newest interaction received. */
  last(): Received;
  /** What the recorder answers from now on. */
  answerWith(answer: unknown): void;
  /** POST /sandbox/api/<path> with a JSON body. */
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** GET /sandbox/api/<path>, JSON. */
  get<T>(path: string): Promise<T>;
  close(): Promise<void>;
  /** The Discord stand-in itself (its API and control routes). */
  discord: DiscordStandIn;
  /** The stand-in's origin, where the sandbox page is served (`/sandbox/`). */
  root: string;
}

export interface SandboxHarnessOptions {
  /** What the page's "run the cron" asks of the Worker; by default it answers ok. */
  runCron?: (time: Date) => Promise<{ status: number; outcome: string }>;
}

/** The modal the bot's Ban entry answers with (two optional text inputs), as the tests set it. */
export const banModal = {
  custom_id: 'ctx:ban:1',
  title: 'Ban member',
  components: [
    {
      type: 1,
      components: [
        { type: 4, custom_id: 'reason', label: 'Reason', style: 2, required: false, max_length: 512 },
      ],
    },
    {
      type: 1,
      components: [
        { type: 4, custom_id: 'duration', label: 'Duration', style: 1, required: false, max_length: 32 },
      ],
    },
  ],
};

/** A harness for a whole test file: started before its tests, closed after them. */
export function useSandboxHarness(options: SandboxHarnessOptions = {}): SandboxHarness {
  let started: SandboxHarness | undefined;
  beforeAll(async () => {
    started = await startSandboxHarness(options);
  });
  afterAll(() => started?.close());
  const harness = () => {
    if (!started) throw new Error('the sandbox harness starts before the tests; use it inside one');
    return started;
  };
  return {
    get received() {
      return harness().received;
    },
    get discord() {
      return harness().discord;
    },
    get root() {
      return harness().root;
    },
    last: () => harness().last(),
    answerWith: (answer) => harness().answerWith(answer),
    post: (path, body) => harness().post(path, body),
    get: <T>(path: string) => harness().get<T>(path),
    close: () => harness().close(),
  };
}

export async function startSandboxHarness(options: SandboxHarnessOptions = {}): Promise<SandboxHarness> {
  const keys = await generateSigningKeys();
  const received: SandboxHarness['received'] = [];
  let answer: unknown = { type: 4, data: { content: 'ok', flags: 64 } };
  const worker: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = await verifyKey(
      body,
      String(req.headers['x-signature-ed25519']),
      String(req.headers['x-signature-timestamp']),
      keys.publicKey,
    );
    received.push({ verified, interaction: JSON.parse(body) });
    res.writeHead(verified ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => worker.listen(0, '127.0.0.1', resolve));
  let pages: ReturnType<typeof createSandboxPages> | null = null;
  const discord: DiscordStandIn = await startDiscordStandIn({
    botToken: 'sandbox-test-token',
    applicationId: APPLICATION_ID,
    rateLimits: false,
    pages: (req, res, url) => (pages ? pages(req, res, url) : false),
  });
  pages = createSandboxPages({
    controlUrl: discord.controlUrl,
    workerUrl: `http://127.0.0.1:${(worker.address() as AddressInfo).port}`,
    applicationId: APPLICATION_ID,
    signingKeyPkcs8: keys.privateKey,
    guild: g,
    outsiders: sandboxOutsiders(g),
    runCron: options.runCron ?? (async () => ({ status: 200, outcome: 'ok' })),
  });
  const seeded = await fetch(`${discord.controlUrl}/guilds/${g.guildId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sandboxGuildSeed(g)),
  });
  if (seeded.status !== 200) throw new Error(`seeding the sandbox guild answered ${seeded.status}`);
  const root = discord.apiBase.replace(/\/api\/v10$/, '');
  const base = `${root}/sandbox/api`;
  return {
    received,
    discord,
    root,
    last: () => {
      const newest = received.at(-1);
      if (!newest) throw new Error('the recorder has received nothing');
      return newest.interaction;
    },
    answerWith: (next) => {
      answer = next;
    },
    async post(path, body) {
      const response = await fetch(`${base}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async get<T>(path: string) {
      return (await (await fetch(`${base}/${path}`)).json()) as T;
    },
    async close() {
      await discord.close();
      worker.closeAllConnections();
      await new Promise<void>((resolve) => worker.close(() => resolve()));
    },
  };
}
