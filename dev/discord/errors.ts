// Discord's error vocabulary: JSON error codes with the exact messages Discord sends, the nested
// `errors` object of 50035 Invalid Form Body, and the bodies Discord's edge gives for bare HTTP statuses.
// Everything a handler refuses with is an ApiError, so the HTTP layer has a single way to answer it.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** One entry in a `_errors` list: a machine code such as BASE_TYPE_MAX_LENGTH and Discord's sentence. */
export interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested error tree: keys are field names or array indexes, leaves hold `_errors`. */
export interface FormErrors {
  [key: string]: FormErrors | FieldError[] | undefined;
  _errors?: FieldError[];
}

export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: FormErrors;
}

/**
 * The JSON error codes the stand-in answers with: [the HTTP status Discord sends each with, the
 * message exactly as Discord words it].
 */
export const discordErrors = {
  [RESTJSONErrorCodes.UnknownChannel]: [404, 'Unknown Channel'],
  [RESTJSONErrorCodes.UnknownPermissionOverwrite]: [404, 'Unknown Overwrite'],
  [RESTJSONErrorCodes.UnknownGuild]: [404, 'Unknown Guild'],
  [RESTJSONErrorCodes.UnknownMember]: [404, 'Unknown Member'],
  [RESTJSONErrorCodes.UnknownMessage]: [404, 'Unknown Message'],
  [RESTJSONErrorCodes.UnknownRole]: [404, 'Unknown Role'],
  [RESTJSONErrorCodes.UnknownUser]: [404, 'Unknown User'],
  [RESTJSONErrorCodes.UnknownWebhook]: [404, 'Unknown Webhook'],
  [RESTJSONErrorCodes.UnknownBan]: [404, 'Unknown Ban'],
  [RESTJSONErrorCodes.UnknownApplicationCommand]: [404, 'Unknown application command'],
  [RESTJSONErrorCodes.MaximumNumberOfWebhooksReached]: [400, 'Maximum number of webhooks reached (15)'],
  [RESTJSONErrorCodes.RequestEntityTooLarge]: [413, 'Request entity too large'],
  [RESTJSONErrorCodes.MissingAccess]: [403, 'Missing Access'],
  [RESTJSONErrorCodes.CannotExecuteActionOnDMChannel]: [403, 'Cannot execute action on a DM channel'],
  [RESTJSONErrorCodes.CannotSendAnEmptyMessage]: [400, 'Cannot send an empty message'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser]: [403, 'Cannot send messages to this user'],
  [RESTJSONErrorCodes.MissingPermissions]: [403, 'Missing Permissions'],
  [RESTJSONErrorCodes.InvalidWebhookToken]: [401, 'Invalid Webhook Token'],
  [RESTJSONErrorCodes.InvalidFormBodyOrContentType]: [400, 'Invalid Form Body'],
  [RESTJSONErrorCodes.RequestBodyContainsInvalidJSON]: [400, 'The request body contains invalid JSON.'],
  // Bulk Delete Messages with an id older than two weeks (the whole call is refused).
  [RESTJSONErrorCodes.OneOfTheMessagesProvidedWasTooOldForBulkDelete]: [
    400,
    'You can only bulk delete messages that are under 14 days old.',
  ],
  // Bulk Guild Ban when not one user could be banned (openapi.json lists only 4XX for the route).
  [RESTJSONErrorCodes.FailedToBanUsers]: [400, 'Failed to ban users'],
} as const satisfies Partial<Record<RESTJSONErrorCodes, readonly [status: number, message: string]>>;

export type KnownErrorCode = keyof typeof discordErrors;

/** A refusal carrying the HTTP status and the JSON body Discord would send. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: DiscordErrorBody;

  constructor(status: number, body: DiscordErrorBody) {
    super(`${status} ${body.code} ${body.message}`);
    this.status = status;
    this.body = body;
  }
}

/** An error with one of Discord's JSON codes, with its status and worded as Discord words it. */
export function apiError(code: KnownErrorCode): ApiError {
  const [status, message] = discordErrors[code];
  return new ApiError(status, { message, code });
}

/** 50035 with the field tree that says what is wrong. */
export function invalidFormBody(errors: FormErrors): ApiError {
  const [status, message] = discordErrors[RESTJSONErrorCodes.InvalidFormBodyOrContentType];
  return new ApiError(status, { message, code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors });
}

export const statusTexts: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The `{"message": "404: Not Found", "code": 0}` form Discord uses when no JSON code applies. */
export function statusError(status: number): ApiError {
  return new ApiError(status, { message: `${status}: ${statusTexts[status] ?? 'Error'}`, code: 0 });
}

export interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

/**
 * What Discord's edge sends for a bare status when a fault is injected. 502 and 504 come from
 * Cloudflare as HTML pages and 503 from the upstream proxy as plain text, as clients meet them in
 * production; every other status gets Discord's JSON `{"message": "<status>: <text>", "code": 0}`.
 */
export function edgeResponse(status: number, override?: { code?: number; message?: string }): RawResponse {
  if (override?.code !== undefined || override?.message !== undefined) {
    const body: DiscordErrorBody = {
      message: override.message ?? `${status}: ${statusTexts[status] ?? 'Error'}`,
      code: override.code ?? 0,
    };
    return { status, contentType: 'application/json', body: JSON.stringify(body) };
  }
  if (status === 502 || status === 504) {
    const text = `${status} ${statusTexts[status]}`;
    const html =
      `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n` +
      '<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
    return { status, contentType: 'text/html', body: html };
  }
  if (status === 503) {
    return {
      status,
      contentType: 'text/plain',
      body: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
    };
  }
  return { status, contentType: 'application/json', body: JSON.stringify(statusError(status).body) };
}
