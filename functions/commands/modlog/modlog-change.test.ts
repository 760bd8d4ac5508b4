import { describe, expect, it } from 'vitest';
import { parseWebhookUrl } from './modlog-change.ts';

const token = 'AbC-_1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ12';

describe('parseWebhookUrl', () => {
  it.each([
    `https://discord.com/api/webhooks/123456789012345678/${token}`,
    `https://discordapp.com/api/webhooks/123456789012345678/${token}`,
    `https://canary.discord.com/api/v10/webhooks/123456789012345678/${token}/`,
    `  https://ptb.discord.com/api/webhooks/123456789012345678/${token}  `,
  ])('accepts %s', (url) => {
    expect(parseWebhookUrl(url)).toEqual({ id: '123456789012345678', token });
  });

  it.each([
    'https://example.com/api/webhooks/123456789012345678/abc',
    `http://discord.com/api/webhooks/123456789012345678/${token}`,
    `https://discord.com/api/webhooks/notanid/${token}`,
    `https://discord.com.evil.example/api/webhooks/123456789012345678/${token}`,
    `https://discord.com/api/webhooks/123456789012345678/${token}?wait=true`,
  ])('rejects %s', (url) => {
    expect(parseWebhookUrl(url)).toBeNull();
  });
});
