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
});
