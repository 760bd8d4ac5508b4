import { describe, expect, it } from 'vitest';
import type { ModlogStatus } from '../../commands/modlog/modlog-status.ts';
import type { Html } from './layout.ts';
import { renderSettingsPage, type SettingsPageData } from './settings-view.ts';

const user = { name: 'Owner', csrfToken: 'tok"en' };
// Manage Server (1 << 5).
const guild = { id: '300000000000000003', name: 'Server', permissions: String(1n << 5n) };
const text = async (page: Html) => String(await page);
const off: ModlogStatus = {
  channelId: null,
  webhookOwned: false,
  brokenAt: null,
  brokenReason: null,
  lastDeliveryAt: null,
  waiting: 0,
  deadLetters: 0,
  auditLogMissingSince: null,
};
const base: SettingsPageData = {
  guild,
  modlog: off,
  channels: [
    { id: '400000000000000001', name: 'mod-logs', botPermissions: String(1n << 29n), missing: [] },
    { id: '400000000000000002', name: 'closed', botPermissions: '0', missing: ['MANAGE_WEBHOOKS'] },
  ],
  policies: [],
  names: new Map(),
  reasons: [],
  notice: null,
  error: null,
};

describe('the settings page', () => {
  it('puts the escaped CSRF token in every form and offers only channels the bot can use', async () => {
    const page = await text(
      renderSettingsPage(user, { ...base, reasons: [{ name: 'spam', text: 'Spamming' }] }),
    );
    const forms = page.match(/<form /g)?.length ?? 0;
    // Logout, the channel, a policy, a reason, the reason's Remove.
    expect(forms).toBe(5);
    expect(page.match(/name="_csrf" value="tok&quot;en"/g)).toHaveLength(forms);
    expect(page).toContain('<option value="400000000000000001">#mod-logs</option>');
    expect(page).toContain(
      '<option value="400000000000000002" disabled>#closed — Lockdown lacks Manage Webhooks there</option>',
    );
    expect(page).toContain('The mod-log is off.');
  });

  it('shows the mod-log’s health as /modlog status does, broken included', async () => {
    const page = await text(
      renderSettingsPage(user, {
        ...base,
        modlog: {
          ...off,
          channelId: '400000000000000001',
          webhookOwned: true,
          brokenAt: new Date('2026-01-02T03:04:00Z'),
          brokenReason: 'webhook deleted',
          lastDeliveryAt: new Date('2026-01-01T00:00:00Z'),
          waiting: 4,
          deadLetters: 2,
          auditLogMissingSince: new Date('2026-01-03T00:00:00Z'),
        },
      }),
    );
    expect(page).toContain('<dt>Channel</dt><dd>#mod-logs</dd>');
    expect(page).toContain('Broken since 2026-01-02 03:04 UTC (webhook deleted).');
    expect(page).toContain('<dt>Last delivery</dt><dd>2026-01-01 00:00 UTC</dd>');
    expect(page).toContain('<dt>Events waiting</dt><dd>4</dd>');
    expect(page).toContain('<dt>Dead letters</dt><dd>2</dd>');
    expect(page).toContain('The audit log cannot be read since 2026-01-03 00:00 UTC');
    expect(page).toContain('<option value="400000000000000001" selected>#mod-logs</option>');
  });

  it('escapes saved reasons and a refused draft, and shows the refusal in its own section', async () => {
    const hostile = '<script>alert(1)</script> "x" & <@123>';
    const page = await text(
      renderSettingsPage(user, {
        ...base,
        reasons: [{ name: 'spam', text: hostile }],
        error: { section: 'reasons', message: 'There is no saved reason `<b>`.' },
        draft: { reason: { name: '"><img>', text: hostile } },
      }),
    );
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp; &lt;@123&gt;');
    expect(page).toContain('value="&quot;&gt;&lt;img&gt;"');
    const reasons = page.slice(page.indexOf('id="reasons"'));
    expect(reasons).toContain('<p class="error" role="alert">There is no saved reason `&lt;b&gt;`.</p>');
    expect(page.slice(0, page.indexOf('id="reasons"'))).not.toContain('role="alert"');
  });

  it('lists a policy with its author’s name beside the id, and a Remove form naming its number', async () => {
    const policy = {
      id: '00000000-0000-4000-8000-000000000001',
      guildId: guild.id,
      policyNumber: 2,
      warnings: 3,
      withinSeconds: 7 * 86_400,
      action: 'mute' as const,
      durationSeconds: 3600,
      createdBy: '200000000000000009',
      createdAt: new Date('2026-01-02T00:00:00Z'),
    };
    const names = new Map([
      [policy.createdBy, { id: policy.createdBy, username: 'maya', globalName: 'Maya <3' }],
    ]);
    const page = await text(renderSettingsPage(user, { ...base, policies: [policy], names }));
    expect(page).toContain('#2 — at 3 warnings within 7d: mute for 1h');
    expect(page).toContain('Maya &lt;3 (@maya) <span class="muted">200000000000000009</span>');
    expect(page).toContain('<input type="hidden" name="policy" value="2">');
    expect(page).toContain('Escalation policies (1 of 10)');
  });

  it('says when Discord did not list the channels, and still shows the rest', async () => {
    const page = await text(renderSettingsPage(user, { ...base, channels: null }));
    expect(page).toContain('Discord did not list this server’s channels just now');
    expect(page).not.toContain('id="modlog-channel"');
    expect(page).toContain('Escalation policies (0 of 10)');
    expect(page).toContain('Saved reasons (0 of 100)');
  });
});
