// The relay's logger: pino, one JSON object per line on stderr (container platforms collect it as
// it is), with anything token-like redacted and errors serialized with their stack and `cause`.
// The rest of the relay sees only the small `Logger` type, so tests can capture lines.
import { type DestinationStream, pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Paths that may hold a secret if someone logs a webhook, a guild row or a request. */
export const redactedPaths = [
  'token',
  '*.token',
  'webhook.token',
  '*.webhook.token',
  'modlogWebhookToken',
  '*.modlogWebhookToken',
  'authorization',
  '*.authorization',
  'headers',
  '*.headers',
];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: stderr). A function receives each line without its newline. */
  destination?: DestinationStream | ((line: string) => void);
  /** Fields on every line (service, consumer). */
  base?: LogFields;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const { destination } = options;
  const stream: DestinationStream =
    typeof destination === 'function'
      ? { write: (line: string) => destination(line.replace(/\n$/, '')) }
      : (destination ?? pino.destination({ fd: 2, sync: true }));
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Callers pass errors as `error`: serialize them with stack and cause.
      errorKey: 'error',
      serializers: { err: pino.stdSerializers.errWithCause },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    stream,
  );
  // The message goes in the object (first), so a line reads `"msg":…` before its fields.
  return {
    debug: (msg, fields) => logger.debug({ msg, ...fields }),
    info: (msg, fields) => logger.info({ msg, ...fields }),
    warn: (msg, fields) => logger.warn({ msg, ...fields }),
    error: (msg, fields) => logger.error({ msg, ...fields }),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
