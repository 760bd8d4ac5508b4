import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { AppealRow } from '../../appeals/appeal-store.ts';
import type { AppealListing } from './appeals-data.ts';
import { dmOutcome, renderAppealsPage } from './appeals-view.ts';

const user = { name: 'mod', csrfToken: 'token-1' };
const at = new Date('2026-03-01T12:00:00Z');

function appeal(fields: Partial<AppealRow> = {}): AppealRow {
  return {
    id: crypto.randomUUID(),
    guildId: '1',
    caseId: crypto.randomUUID(),
    userId: '42',
    text: 'please',
    state: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionCaseId: null,
    dmDelivered: null,
    eventId: crypto.randomUUID(),
    createdAt: at,
    ...fields,
  };
}

const listing = (row: AppealRow, unban: number | null = null): AppealListing => ({
  appeal: row,
  ban: { caseNumber: 7, reason: 'Spam <@9>' },
  unban: unban ? { caseNumber: unban } : null,
});

async function render(permissions: bigint, pending: AppealListing[], decided: AppealListing[] = []) {
  return String(
    await renderAppealsPage(user, {
      guild: { id: '1', name: 'Server', permissions: String(permissions) },
      query: { filter: 'all', before: null, notice: null },
      pending,
      morePending: false,
      decided,
      moreDecided: false,
    }),
  );
}

describe('renderAppealsPage', () => {
  it('draws Accept and Deny forms with the token only for Ban Members', async () => {
    const row = listing(appeal());
    const withBan = await render(PermissionFlagsBits.BanMembers | PermissionFlagsBits.ModerateMembers, [row]);
    expect(withBan).toContain(`action="/dashboard/guilds/1/appeals/${row.appeal.id}/accept"`);
    expect(withBan).toContain('<input type="hidden" name="_csrf" value="token-1">');
    const without = await render(PermissionFlagsBits.ModerateMembers, [row]);
    expect(without).not.toContain('/accept"');
    expect(without).toContain('Only moderators with the Ban Members permission decide appeals.');
  });

  it('escapes the appeal text and shows the ban reason as Discord would', async () => {
    const html = await render(PermissionFlagsBits.ModerateMembers, [
      listing(appeal({ text: '<img src=x onerror=alert(1)>\n"line two"' })),
    ]);
    expect(html).toContain(
      '<blockquote>&lt;img src=x onerror=alert(1)&gt;\n&quot;line two&quot;</blockquote>',
    );
    expect(html).toContain('Spam @9');
    expect(html).toContain('<a href="/dashboard/guilds/1/cases/7">#7</a>');
  });

  it('shows a decision: who, when, the unban case and the DM', async () => {
    const html = await render(
      PermissionFlagsBits.BanMembers,
      [],
      [listing(appeal({ state: 'accepted', decidedBy: '5', decidedAt: at, dmDelivered: false }), 8)],
    );
    expect(html).toContain('Accepted</strong> by 5, 2026-03-01 12:00 UTC');
    expect(html).toContain('<a href="/dashboard/guilds/1/cases/8">#8</a>');
    expect(html).toContain('Could not be told by DM');
    expect(html).not.toContain('/accept"');
  });

  it('names every fate of the DM', () => {
    expect(dmOutcome(true)).toBe('Told by DM');
    expect(dmOutcome(false)).toMatch(/^Could not be told by DM/);
    expect(dmOutcome(null)).toBe('Being recorded');
  });
});
