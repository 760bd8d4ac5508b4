// The sandbox page's server side, mounted on the Discord stand-in (see `pages` in dev/discord/server.ts):
// serves the page's files from this folder under /sandbox/, and a small API the page cannot do itself:
// building a slash-command interaction exactly as Discord sends it (dev/interactions.ts), signing it
// with the local private key and POSTing it to the Worker; and running the Worker's cron. Everything
// else (the guild, #mod-logs, interaction replies, faults) the page reads from the stand-in's own
// control API under /__sandbox, on the same origin.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import type { GuildSnapshot, PageHandler, SeedUser } from '../discord/server.ts';
import { buildCommandInteraction, importSigningKey, signatureHeaders } from '../interactions.ts';
import {
  CommandInputError,
  type CommandRequest,
  commandOptions,
  memberPermissions,
} from './command-options.ts';
import type { SandboxGuild } from './seed.ts';

export interface SandboxPageOptions {
  /** The stand-in's control API, e.g. http://127.0.0.1:8790/__sandbox. */
  controlUrl: string;
  /** Where the Worker listens, e.g. http://127.0.0.1:8787 (interactions at /interactions). */
  workerUrl: string;
  applicationId: string;
  /** PKCS#8, base64: the private half of the Worker's DISCORD_PUBLIC_KEY; null when that key is a real application's. */
  signingKeyPkcs8: string | null;
  guild: SandboxGuild;
  /** Users who are not members, for the page's pickers. */
  outsiders: SeedUser[];
  /** The relay's HTTP side (for its /healthz on the page's status line). */
  relayUrl?: string;
  /** Runs the Worker's scheduled handler as at `time` (scripts/dev.ts: miniflare's trigger route). */
  runCron: (time: Date) => Promise<{ status: number; outcome: string }>;
}

export interface CommandOutcome {
  interaction: { id: string; token: string };
  /** The Worker's HTTP status and JSON answer (type 4: a reply; type 5: deferred, edited later via @original). */
  status: number;
  body: unknown;
  elapsedMs: number;
}

const FILES: Record<string, string> = {
  '': 'index.html',
  'index.html': 'index.html',
  'sandbox.js': 'sandbox.js',
  'render.js': 'render.js',
  'sandbox.css': 'sandbox.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export function createSandboxPages(options: SandboxPageOptions): PageHandler {
  const folder = new URL('./', import.meta.url);
  const signingKey = options.signingKeyPkcs8 ? importSigningKey(options.signingKeyPkcs8) : null;

  async function guildState(): Promise<GuildSnapshot> {
    const response = await fetch(`${options.controlUrl}/guilds/${options.guild.guildId}`);
    if (!response.ok) throw new Error(`the sandbox guild is missing from the stand-in (${response.status})`);
    return (await response.json()) as GuildSnapshot;
  }

  async function runCommand(request: CommandRequest): Promise<CommandOutcome> {
    if (!signingKey) {
      throw new CommandInputError(
        'DISCORD_PUBLIC_KEY is a real application’s key, so the sandbox cannot sign for it. Unset it (and DISCORD_API_BASE) to use the sandbox.',
      );
    }
    const guild = await guildState();
    const invokerId = request.invokerId ?? options.guild.defaultInvokerId;
    const invoker = guild.members.find((m) => m.user?.id === invokerId);
    if (!invoker?.user) throw new CommandInputError('Only members of the server can run commands.');
    const { options: dataOptions, userIds, channelIds } = commandOptions(request, guild);
    const known = new Map<string, SeedUser>();
    for (const outsider of options.outsiders) known.set(outsider.id, outsider);
    for (const ban of guild.bans) known.set(ban.user.id, ban.user);
    const channelId = request.channelId ?? options.guild.channels.general;
    const interaction = buildCommandInteraction({
      applicationId: options.applicationId,
      guildId: guild.id,
      channelId,
      name: request.name,
      options: dataOptions,
      invoker: {
        id: invokerId,
        username: invoker.user.username,
        roles: invoker.roles,
        permissions: memberPermissions(guild, invokerId),
      },
      appPermissions: memberPermissions(guild, options.applicationId),
      resolve: userIds.map((id) => {
        const member = guild.members.find((m) => m.user?.id === id);
        const username = member?.user?.username ?? known.get(id)?.username;
        return { id, username, roles: member ? member.roles : null };
      }),
    });
    // What buildCommandInteraction leaves out and Discord sends: the channel the command was typed
    // in, display names, and resolved channels for channel options.
    const record = interaction as unknown as Record<string, unknown> & {
      member: { user: { global_name: string | null }; nick?: string | null };
      data: { resolved: Record<string, Record<string, unknown>> };
    };
    const channelObject = (id: string) => {
      const channel = guild.channels.find((c) => c.id === id);
      return channel
        ? {
            id,
            name: channel.name,
            type: channel.type,
            guild_id: guild.id,
            permissions: String(memberPermissions(guild, invokerId)),
            flags: 0,
          }
        : null;
    };
    record.channel = channelObject(channelId);
    record.member.user.global_name = invoker.user.global_name ?? null;
    record.member.nick = invoker.nick ?? null;
    const resolvedUsers = record.data.resolved.users as Record<string, { global_name: string | null }>;
    for (const id of userIds) {
      const member = guild.members.find((m) => m.user?.id === id);
      const found = resolvedUsers[id];
      if (found) found.global_name = member?.user?.global_name ?? known.get(id)?.global_name ?? null;
    }
    if (channelIds.length > 0) {
      record.data.resolved.channels = Object.fromEntries(channelIds.map((id) => [id, channelObject(id)]));
    }
    const body = JSON.stringify(interaction);
    const started = Date.now();
    const response = await fetch(`${options.workerUrl}/interactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
        ...(await signatureHeaders(await (signingKey as Promise<CryptoKey>), body)),
      },
      body,
    });
    const text = await response.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {}
    return {
      interaction: { id: interaction.id, token: interaction.token },
      status: response.status,
      body: answer,
      elapsedMs: Date.now() - started,
    };
  }

  async function health(url: string) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.ok) return { ok: true, detail: 'up' };
      const problems = Object.entries(body)
        .filter(([, v]) => typeof v === 'string' && v !== 'ok')
        .map(([k, v]) => `${k} ${v}`);
      return { ok: false, detail: problems.join(', ') || `HTTP ${response.status}` };
    } catch {
      return { ok: false, detail: 'not answering' };
    }
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };

  async function readJson(req: IncomingMessage): Promise<unknown> {
    // JSON only: a cross-site form cannot send it without a CORS preflight, which is never granted.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new CommandInputError('send JSON (content-type: application/json)');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 1_000_000) throw new CommandInputError('request too large');
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new CommandInputError('body is not JSON');
    }
  }

  return async (req, res, url) => {
    const method = req.method ?? 'GET';
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return true;
    }
    if (url.pathname === '/' || url.pathname === '/sandbox') {
      res.writeHead(302, { location: '/sandbox/' });
      res.end();
      return true;
    }
    if (!url.pathname.startsWith('/sandbox/')) return false;
    const rest = url.pathname.slice('/sandbox/'.length);
    try {
      if (rest === 'api/setup' && method === 'GET') {
        send(res, 200, {
          guild: options.guild,
          outsiders: options.outsiders,
          applicationId: options.applicationId,
          commands: commandDefinitions,
          canSign: signingKey !== null,
          workerUrl: options.workerUrl,
          controlPath: new URL(options.controlUrl).pathname,
        });
        return true;
      }
      if (rest === 'api/status' && method === 'GET') {
        const [worker, relay] = await Promise.all([
          health(`${options.workerUrl}/health`),
          options.relayUrl ? health(`${options.relayUrl}/healthz`) : null,
        ]);
        send(res, 200, { worker, relay });
        return true;
      }
      if (rest === 'api/commands' && method === 'POST') {
        send(res, 200, await runCommand((await readJson(req)) as CommandRequest));
        return true;
      }
      if (rest === 'api/cron' && method === 'POST') {
        const body = (await readJson(req)) as { offsetMs?: unknown };
        const offset = Number(body.offsetMs ?? 0);
        const time = new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
        send(res, 200, { time: time.toISOString(), ...(await options.runCron(time)) });
        return true;
      }
      const file = FILES[rest];
      if (file && (method === 'GET' || method === 'HEAD')) {
        const content = await readFile(new URL(file, folder));
        res.writeHead(200, {
          'content-type': TYPES[file.split('.').pop() as string] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(method === 'HEAD' ? undefined : content);
        return true;
      }
      send(res, 404, { message: `no sandbox page ${method} ${url.pathname}` });
      return true;
    } catch (error) {
      if (error instanceof CommandInputError) send(res, 400, { message: error.message });
      else send(res, 502, { message: (error as Error).message });
      return true;
    }
  };
}
