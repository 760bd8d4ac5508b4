import { describe, expect, it } from 'vitest';
import { isAllowedAttachmentUrl } from './attachment.ts';

const BASE = 'http://127.0.0.1:8790/api/v10';

describe('isAllowedAttachmentUrl', () => {
  it("takes Discord's CDN hosts over https", () => {
    expect(isAllowedAttachmentUrl('https://cdn.discordapp.com/attachments/1/2/ids.txt?ex=1', BASE)).toBe(
      true,
    );
    expect(isAllowedAttachmentUrl('https://media.discordapp.net/attachments/1/2/ids.txt', BASE)).toBe(true);
  });

  it("takes the API base's own origin (the stand-in)", () => {
    expect(isAllowedAttachmentUrl('http://127.0.0.1:8790/attachments/1/2/ids.txt', BASE)).toBe(true);
  });

  it('refuses every other host, scheme, port or credentials', () => {
    for (const url of [
      'http://cdn.discordapp.com/attachments/1/2/ids.txt',
      'https://cdn.discordapp.com:8443/attachments/1/2/ids.txt',
      'https://cdn.discordapp.com.evil.example/ids.txt',
      'https://evil.example/cdn.discordapp.com/ids.txt',
      'https://user:pw@cdn.discordapp.com/ids.txt',
      'http://127.0.0.1:8791/attachments/1/2/ids.txt',
      'https://127.0.0.1:8790/attachments/1/2/ids.txt',
      'file:///etc/passwd',
      'not a url',
    ]) {
      expect(isAllowedAttachmentUrl(url, BASE), url).toBe(false);
    }
  });
});
