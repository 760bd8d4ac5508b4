// Files "users attach" to slash commands: the control API stores a text file and answers the
// APIAttachment Discord would put in an interaction's resolved.attachments; the stand-in then serves
// it at the path Discord's CDN uses (/attachments/{channel}/{attachment}/{filename}) on its own
// origin, and, like the CDN since signed URLs, only with the URL's `hm` signature (404 otherwise).
import { randomBytes } from 'node:crypto';
import type { APIAttachment } from 'discord-api-types/v10';
import type { RawResponse } from './errors.ts';
import { nextSnowflake } from './ids.ts';
import { attachmentObject } from './objects.ts';
import type { AttachmentRecord } from './records.ts';
import type { AttachmentUpload } from './types.ts';
import { isSnowflake } from './validation.ts';

export const ATTACHMENT_PATH = /^\/attachments\/(\d{1,20})\/(\d{1,20})\/([^/]+)$/;
/** Discord's upload limit without boosts. */
const MAX_BYTES = 10 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** What is wrong with an upload body, or null. */
export function uploadProblem(body: unknown): string | null {
  const b = body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null) return 'body must be {filename, text}';
  if (typeof b.filename !== 'string' || b.filename.length === 0 || b.filename.length > 255)
    return '`filename` must be a string of 1-255 characters';
  if (typeof b.text !== 'string') return '`text` must be a string';
  if (Buffer.byteLength(b.text) > MAX_BYTES) return 'the file is over 10 MiB';
  if (b.content_type !== undefined && typeof b.content_type !== 'string')
    return '`content_type` must be a string';
  if (b.channel_id !== undefined && (typeof b.channel_id !== 'string' || !isSnowflake(b.channel_id)))
    return '`channel_id` must be a snowflake';
  return null;
}

/** Discord keeps letters, digits, dot, dash and underscore in file names and turns the rest into _. */
export function sanitizeFilename(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

export class AttachmentStore {
  readonly #files = new Map<string, AttachmentRecord & { signature: string }>();

  /** Stores an upload (checked with uploadProblem) and answers its APIAttachment, URLs on `origin`. */
  add(upload: AttachmentUpload, origin: string): APIAttachment {
    const filename = sanitizeFilename(upload.filename);
    const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
    const record = {
      id: nextSnowflake(),
      channelId: upload.channel_id ?? nextSnowflake(),
      filename,
      contentType: upload.content_type ?? CONTENT_TYPES[extension] ?? 'application/octet-stream',
      data: Buffer.from(upload.text, 'utf8'),
      signature: randomBytes(32).toString('hex'),
    };
    this.#files.set(record.id, record);
    return attachmentObject(record, origin, record.signature);
  }

  /** GET of a CDN path (with its query): the file, or the CDN's 404 for an unknown or unsigned one. */
  serve(pathname: string, query: URLSearchParams): RawResponse {
    const match = ATTACHMENT_PATH.exec(pathname);
    const record = match ? this.#files.get(match[2]!) : undefined;
    if (
      !match ||
      !record ||
      record.channelId !== match[1] ||
      decodeURIComponent(match[3]!) !== record.filename ||
      query.get('hm') !== record.signature
    ) {
      return { status: 404, contentType: 'text/plain', body: 'This content is no longer available.' };
    }
    return { status: 200, contentType: record.contentType, body: record.data.toString('utf8') };
  }
}
