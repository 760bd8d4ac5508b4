// The sandbox's side of "Discord sends an interaction": signs a built interaction with the local
// private key and POSTs it to the Worker's /interactions as Discord does, reading the answer; reads
// the guild from the stand-in; and remembers the interactions it sent (token → id, name, user), so a
// button clicked later on their reply can carry the message's interaction metadata as Discord's does,
// and the modals the bot opened (token → the modal and where it was opened), so that a submit carries
// exactly the modal Discord's client was given and nothing the page makes up.
import type {
  APIMessage,
  APIMessageInteractionMetadata,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import type { GuildSnapshot, SandboxMessage } from '../discord/server.ts';
import { importSigningKey, signatureHeaders } from '../interactions.ts';
import { CommandInputError } from './command-options.ts';

export interface InteractionOutcome {
  interaction: { id: string; token: string };
  /** The Worker's HTTP status and JSON answer (type 4 a message, 5 deferred, 6 deferred update, 7 update). */
  status: number;
  body: unknown;
  elapsedMs: number;
}

const WORKER_TIMEOUT_MS = 30_000;
const CONTROL_TIMEOUT_MS = 10_000;
/** Interaction tokens live 15 minutes; the memo keeps the newest few hundred. */
const REMEMBERED = 500;

/** A modal the bot answered with (type 9), waiting for its submit. */
export interface OpenModal {
  modal: APIModalInteractionResponseCallbackData;
  channelId: string;
  invokerId: string;
  /** The message of the button whose click opened it (Discord sends it with the submit). */
  message?: APIMessage;
  /** The opening interaction's metadata: the submit's reply carries it as its trigger. */
  trigger: APIMessageInteractionMetadata;
}

/** A map that forgets its oldest entries beyond `REMEMBERED`. */
function boundedMap<T>() {
  const map = new Map<string, T>();
  return {
    set(key: string, value: T) {
      map.set(key, value);
      for (const oldest of map.keys()) {
        if (map.size <= REMEMBERED) break;
        map.delete(oldest);
      }
    },
    get: (key: string) => map.get(key),
    delete: (key: string) => map.delete(key),
  };
}

export interface WorkerLink {
  guildState(): Promise<GuildSnapshot>;
  /** A channel's messages as the stand-in keeps them. */
  channelMessages(channelId: string): Promise<SandboxMessage[]>;
  /** POST to the stand-in's control API, answering its JSON (errors become CommandInputError). */
  control<T>(path: string, body: unknown): Promise<T>;
  send(interaction: { id: string; token: string }): Promise<InteractionOutcome>;
  remember(token: string, metadata: APIMessageInteractionMetadata): void;
  metadataOf(token: string): APIMessageInteractionMetadata | undefined;
  /** Keeps the modal an interaction (by its token) was answered with, until it is submitted. */
  rememberModal(token: string, open: OpenModal): void;
  modalOf(token: string): OpenModal | undefined;
  forgetModal(token: string): void;
}

export function createWorkerLink(options: {
  controlUrl: string;
  workerUrl: string;
  guildId: string;
  signingKeyPkcs8: string | null;
}): WorkerLink {
  const signingKey = options.signingKeyPkcs8 ? importSigningKey(options.signingKeyPkcs8) : null;
  const sent = boundedMap<APIMessageInteractionMetadata>();
  const modals = boundedMap<OpenModal>();
  return {
    async guildState() {
      const response = await fetch(`${options.controlUrl}/guilds/${options.guildId}`, {
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      if (!response.ok)
        throw new Error(`the sandbox guild is missing from the stand-in (${response.status})`);
      return (await response.json()) as GuildSnapshot;
    },
    async channelMessages(channelId) {
      const response = await fetch(`${options.controlUrl}/channels/${channelId}/messages`, {
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      if (!response.ok) throw new CommandInputError('There is no such channel in this server.');
      return (await response.json()) as SandboxMessage[];
    },
    async control<T>(path: string, body: unknown) {
      const response = await fetch(`${options.controlUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      const answer = (await response.json().catch(() => ({}))) as T & { message?: string };
      if (!response.ok)
        throw new CommandInputError(answer.message ?? `the stand-in answered ${response.status}`);
      return answer;
    },
    async send(interaction) {
      if (!signingKey) {
        throw new CommandInputError(
          'DISCORD_PUBLIC_KEY is a real application’s key, so the sandbox cannot sign for it. Unset it (and DISCORD_API_BASE) to use the sandbox.',
        );
      }
      const body = JSON.stringify(interaction);
      const started = Date.now();
      const response = await fetch(`${options.workerUrl}/interactions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
          ...(await signatureHeaders(await signingKey, body)),
        },
        body,
        signal: AbortSignal.timeout(WORKER_TIMEOUT_MS),
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
    },
    remember: (token, metadata) => sent.set(token, metadata),
    metadataOf: (token) => sent.get(token),
    rememberModal: (token, open) => modals.set(token, open),
    modalOf: (token) => modals.get(token),
    forgetModal: (token) => {
      modals.delete(token);
    },
  };
}
