import { describe, expect, it } from 'vitest';
import { errorForLog } from './log.ts';

describe('errorForLog', () => {
  it('removes passwords, tokens and webhook tokens', () => {
    const line = errorForLog(
      new Error(
        'failed postgres://lockdown:pa55@host/db, Bot abc.def-ghi, /webhooks/123/secret-token_x/messages',
      ),
    );
    expect(line).toBe(
      'Error: failed postgres://lockdown:***@host/db, Bot ***, /webhooks/123/:token/messages',
    );
  });

  it('drops the parameters a failed query carries (a webhook token being saved, say)', () => {
    const error = new Error(
      'Failed query: insert into "guilds" ("modlog_webhook_token") values ($1)\nparams: N5gRAC_secret',
    );
    const line = errorForLog(error);
    expect(line).toBe('Error: Failed query: insert into "guilds" ("modlog_webhook_token") values ($1)');
    expect(line).not.toContain('N5gRAC_secret');
  });
});
