// The few pieces of Postgres' wire protocol (v3) the embedded server needs, as pure functions over
// bytes: framing the startup packet and the typed messages that follow it, spotting the last
// ReadyForQuery status in the backend's output, and the Sync and ROLLBACK it sends on a client's behalf.

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
export const PROTOCOL_3 = 196608;
/** Startup packets are small; anything longer is not a Postgres client. */
const MAX_STARTUP_LENGTH = 10_000;
const READY_FOR_QUERY = 0x5a; // 'Z'
export const TERMINATE = 0x58; // 'X'

/** The ReadyForQuery status ('I' idle, 'T' in a transaction, 'E' failed transaction) last seen in `bytes`, if any. */
export function lastReadyStatus(bytes: Uint8Array): string | null {
  let status: string | null = null;
  let offset = 0;
  while (offset + 5 <= bytes.length) {
    const type = bytes[offset] as number;
    const length =
      ((bytes[offset + 1] as number) << 24) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 8) |
      (bytes[offset + 4] as number);
    if (type === READY_FOR_QUERY && length === 5 && offset + 6 <= bytes.length) {
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
export const SYNC = frontendMessage('S');
export const ROLLBACK = frontendMessage('Q', Buffer.from('ROLLBACK\0'));

/** One framed packet and what is left of the buffer; `code` is the startup packet's request code. */
export type Framed =
  | { kind: 'incomplete' }
  | { kind: 'invalid' }
  | { kind: 'startup'; code: number; packet: Buffer; rest: Buffer }
  | { kind: 'message'; packet: Buffer; rest: Buffer };

/** Frames the next packet: before startup an untyped length + code packet, after it a typed message. */
export function nextPacket(buffer: Buffer, started: boolean): Framed {
  if (!started) {
    if (buffer.length < 8) return { kind: 'incomplete' };
    const length = buffer.readInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_LENGTH) return { kind: 'invalid' };
    if (buffer.length < length) return { kind: 'incomplete' };
    return {
      kind: 'startup',
      code: buffer.readInt32BE(4),
      packet: buffer.subarray(0, length),
      rest: buffer.subarray(length),
    };
  }
  if (buffer.length < 5) return { kind: 'incomplete' };
  const length = 1 + buffer.readInt32BE(1);
  if (length < 5) return { kind: 'invalid' };
  if (buffer.length < length) return { kind: 'incomplete' };
  return { kind: 'message', packet: buffer.subarray(0, length), rest: buffer.subarray(length) };
}
