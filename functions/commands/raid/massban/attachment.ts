// Reads /massban's `file` option: only the attachment Discord resolved in the signed interaction,
// only from Discord's CDN hosts (cdn.discordapp.com, media.discordapp.net) or the host of
// DISCORD_API_BASE (the local stand-in serves its uploads there), over https unless it is that
// host, at most MAX_FILE_BYTES, within FETCH_TIMEOUT_MS. Anything else is refused before a byte is read.
import type { APIAttachment } from 'discord-api-types/v10';
import { CommandError } from '../../../interactions/errors.ts';

export const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;
/** 5,000 ids of 20 digits with separators fit in about 105 KB; 256 KiB leaves room for mentions. */
export const MAX_FILE_BYTES = 256 * 1024;
export const FETCH_TIMEOUT_MS = 5_000;

/** Whether `url` may be fetched: a CDN host over https, or exactly the API base's origin. */
export function isAllowedAttachmentUrl(url: string, apiBase: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  if (parsed.protocol === 'https:' && (DISCORD_CDN_HOSTS as readonly string[]).includes(parsed.hostname))
    return parsed.port === '';
  try {
    const base = new URL(apiBase);
    return parsed.protocol === base.protocol && parsed.host === base.host;
  } catch {
    return false;
  }
}

const refused = (message: string) => new CommandError('invalid_option', message);

const downloadFailed = () =>
  new CommandError('unavailable', 'I could not download the file from Discord. Try again shortly.');

/**
 * The file's text. Throws a CommandError naming the problem; nothing is changed either way. The
 * timeout covers the whole download, headers and body: a CDN that stalls midway is a failed download.
 */
export async function readAttachmentText(
  attachment: APIAttachment,
  apiBase: string,
  timeoutMs: number = FETCH_TIMEOUT_MS,
): Promise<string> {
  if (!isAllowedAttachmentUrl(attachment.url, apiBase)) {
    throw refused('I only read files uploaded to Discord with the command. Attach the list as a file.');
  }
  if (attachment.size > MAX_FILE_BYTES) {
    throw refused(`The file is ${attachment.size} bytes; the limit is ${MAX_FILE_BYTES} bytes (256 KiB).`);
  }
  let response: Response;
  try {
    // A redirect could lead off the allowed hosts: not followed (Workers have no `redirect: 'error'`).
    response = await fetch(attachment.url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw downloadFailed();
  }
  if (!response.ok || !response.body) {
    throw new CommandError('unavailable', `Discord did not give me the file (HTTP ${response.status}).`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      throw downloadFailed();
    }
    const { done, value } = read;
    if (done) break;
    total += value.byteLength;
    if (total > MAX_FILE_BYTES) {
      await reader.cancel().catch(() => {});
      throw refused(`The file is larger than ${MAX_FILE_BYTES} bytes (256 KiB). Split the list.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw refused('The file is not text. Attach a plain text file of user IDs.');
  }
}
