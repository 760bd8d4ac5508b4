// The sandbox page's server side, mounted on the Discord stand-in (see `pages` in dev/discord/server.ts):
// serves the page's files from this folder under /sandbox/, and a small API the page cannot do itself:
// building an interaction exactly as Discord sends it — a slash command (commands.ts), an Apps-menu
// command (app-commands.ts), a modal's submit (modal-submit.ts), autocomplete while an option is
// typed (autocomplete.ts), a button click or select (clicks.ts) — signing it with the local private
// key and POSTing it to the Worker (worker-link.ts); the Apps entries one member is shown; a member's
// plain message posted in a channel (member-messages.ts); a user's DM with the bot and a button or
// modal in it, as that user (direct-messages.ts); the
// guild's channels as one member sees them (channel-views.ts); running the Worker's cron; and syncing
// the guild's audit log now (audit-sync.ts), to watch an action taken in Discord's own UI become a case.
// Everything else (the guild, #mod-logs, interaction replies, faults, a simulated raid) the page reads
// from or sends to the stand-in's own control API under /__sandbox, on the same origin.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commandDefinitions } from '../../shared/command-definitions.ts';
import type { PageHandler, SeedUser } from '../discord/server.ts';
import { type AppCommandRequest, appsMenu, runAppCommand } from './app-commands.ts';
import { createAuditSyncControl } from './audit-sync.ts';
import { type AutocompleteRequest, runAutocomplete } from './autocomplete-interaction.ts';
import { channelViews } from './channel-views.ts';
import { type ClickRequest, runClick } from './clicks.ts';
import { CommandInputError, type CommandRequest } from './command-options.ts';
import { runCommand } from './commands.ts';
import {
  type DmClickRequest,
  type DmModalRequest,
  directMessages,
  runDmClick,
  runDmModalSubmit,
} from './direct-messages.ts';
import { type MemberMessageRequest, postAsMember } from './member-messages.ts';
import { type ModalSubmitRequest, runModalSubmit } from './modal-submit.ts';
import type { SandboxGuild } from './seed.ts';
import { createWorkerLink } from './worker-link.ts';

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
  /** The local database the Worker uses: lets "Sync the audit log now" make the guild due now. */
  databaseUrl?: string;
}

export type { CommandOutcome } from './commands.ts';

/** The page's files; each module owns one panel or one job (see the header of sandbox.js). */
const FILES = new Set([
  'index.html',
  'sandbox.js',
  'render.js',
  'command-box.js',
  'components.js',
  'messages.js',
  'members.js',
  'channels.js',
  'raid.js',
  'discord-ui.js',
  'autocomplete.js',
  'context-menu.js',
  'right-click.js',
  'modal.js',
  'interaction-flow.js',
  'sidebar-tools.js',
  'page-state.js',
  'page-helpers.js',
  'composer.js',
  'replies.js',
  'channel-pane.js',
  'modlog-pane.js',
  'message-clicks.js',
  'guild-panels.js',
  'dm-pane.js',
  'sandbox.css',
  'messages.css',
  'composer.css',
  'raid-tools.css',
  'interactive.css',
]);
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export function createSandboxPages(options: SandboxPageOptions): PageHandler {
  const folder = new URL('./', import.meta.url);
  const link = createWorkerLink({
    controlUrl: options.controlUrl,
    workerUrl: options.workerUrl,
    guildId: options.guild.guildId,
    signingKeyPkcs8: options.signingKeyPkcs8,
  });
  const auditSync = options.databaseUrl
    ? createAuditSyncControl({
        databaseUrl: options.databaseUrl,
        guildId: options.guild.guildId,
        runCron: options.runCron,
      })
    : null;

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
          canSign: options.signingKeyPkcs8 !== null,
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
        send(res, 200, await runCommand(link, options, (await readJson(req)) as CommandRequest));
        return true;
      }
      if (rest === 'api/app-commands' && method === 'POST') {
        send(res, 200, await runAppCommand(link, options, (await readJson(req)) as AppCommandRequest));
        return true;
      }
      if (rest === 'api/apps' && method === 'GET') {
        const viewer = url.searchParams.get('as') ?? options.guild.defaultInvokerId;
        const channelId = url.searchParams.get('channel') ?? options.guild.channels.general;
        send(res, 200, appsMenu(await link.guildState(), viewer, channelId));
        return true;
      }
      if (rest === 'api/modals' && method === 'POST') {
        send(res, 200, await runModalSubmit(link, options, (await readJson(req)) as ModalSubmitRequest));
        return true;
      }
      if (rest === 'api/autocomplete' && method === 'POST') {
        send(res, 200, await runAutocomplete(link, options, (await readJson(req)) as AutocompleteRequest));
        return true;
      }
      if (rest === 'api/messages' && method === 'POST') {
        send(res, 200, await postAsMember(link, options, (await readJson(req)) as MemberMessageRequest));
        return true;
      }
      if (rest === 'api/components' && method === 'POST') {
        send(res, 200, await runClick(link, options, (await readJson(req)) as ClickRequest));
        return true;
      }
      // A user's DM with the bot, and acting in it as them (direct-messages.ts: a ban's Appeal).
      if (rest === 'api/dms' && method === 'GET') {
        send(res, 200, await directMessages(options.controlUrl, url.searchParams.get('user') ?? ''));
        return true;
      }
      if (rest === 'api/dm-components' && method === 'POST') {
        send(res, 200, await runDmClick(link, options, (await readJson(req)) as DmClickRequest));
        return true;
      }
      if (rest === 'api/dm-modals' && method === 'POST') {
        send(res, 200, await runDmModalSubmit(link, options, (await readJson(req)) as DmModalRequest));
        return true;
      }
      if (rest === 'api/channels' && method === 'GET') {
        const viewer = url.searchParams.get('as') ?? options.guild.defaultInvokerId;
        send(res, 200, channelViews(await link.guildState(), viewer));
        return true;
      }
      if (rest === 'api/cron' && method === 'POST') {
        const body = (await readJson(req)) as { offsetMs?: unknown };
        const offset = Number(body.offsetMs ?? 0);
        const time = new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
        if (offset === 0 && auditSync) {
          // "Run it now" right after acting in Discord's UI should show the case: the audit-log
          // sync made due as well (audit-sync.ts), not left to its 1–15 minute schedule.
          const run = await auditSync.syncNow();
          send(res, 200, {
            time: time.toISOString(),
            status: run.status,
            outcome: run.outcome,
            synced: run.synced,
          });
        } else send(res, 200, { time: time.toISOString(), ...(await options.runCron(time)) });
        return true;
      }
      if (rest === 'api/audit-sync' && method === 'GET') {
        send(res, 200, auditSync ? { available: true, ...(await auditSync.state()) } : { available: false });
        return true;
      }
      if (rest === 'api/audit-sync' && method === 'POST') {
        await readJson(req);
        if (auditSync) send(res, 200, { available: true, ...(await auditSync.syncNow()) });
        else {
          // Without the database the guild syncs when it is due (within 15 minutes): the cron alone.
          send(res, 200, { available: false, synced: false, ...(await options.runCron(new Date())) });
        }
        return true;
      }
      const file = rest === '' ? 'index.html' : rest;
      if (FILES.has(file) && (method === 'GET' || method === 'HEAD')) {
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
