// The Discord stand-in's components on webhook messages over real HTTP, as Discord documents them
// (Execute Webhook, Edit Webhook Message: `with_components`): a webhook the application made sends
// them always; any other has them ignored unless `with_components=true`, and then may send only
// non-interactive ones (link buttons). Component payloads are checked as Discord does (rows, widths,
// custom_id length and uniqueness, labels, select options), with 50035 and the field tree.
import { ButtonStyle, ComponentType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { SandboxMessage } from '../../dev/discord/server.ts';
import { bits, snowflake, standInClient } from './discord-client.ts';

const { api, control } = standInClient();

interface World {
  guildId: string;
  channelId: string;
  /** Made with the bot token (`application_id` set). */
  owned: { id: string; token: string };
  /** Made in the channel settings, as a user would. */
  foreign: { id: string; token: string };
}

async function seed(): Promise<World> {
  const guildId = snowflake();
  const channelId = snowflake();
  const botRoleId = snowflake();
  await control(`/guilds/${guildId}`, 'PUT', {
    ownerId: snowflake(),
    roles: [
      { id: guildId, position: 0, permissions: '0' },
      { id: botRoleId, position: 1, permissions: bits(P.ManageWebhooks, P.ViewChannel, P.SendMessages) },
    ],
    botRoleIds: [botRoleId],
    members: [],
    channels: [{ id: channelId, name: 'mod-logs' }],
  });
  const made = await api(`/channels/${channelId}/webhooks`, 'POST', { name: 'Lockdown mod-log' });
  const owned = (await made.json()) as { id: string; token: string; application_id: string | null };
  expect(owned.application_id).not.toBeNull();
  const foreign = await control<{ id: string; token: string; application_id: string | null }>(
    `/channels/${channelId}/webhooks`,
    'POST',
    { name: 'Hand-made' },
  );
  expect(foreign.application_id).toBeNull();
  return { guildId, channelId, owned, foreign };
}

const button = (customId: string, label = 'Undo') => ({
  type: ComponentType.Button,
  style: ButtonStyle.Danger,
  label,
  custom_id: customId,
});
const link = {
  type: ComponentType.Button,
  style: ButtonStyle.Link,
  label: 'Rules',
  url: 'https://example.com/rules',
};
const row = (...components: unknown[]) => ({ type: ComponentType.ActionRow, components });
const select = (options: unknown[], extra: Record<string, unknown> = {}) => ({
  type: ComponentType.StringSelect,
  custom_id: 'case:pick',
  options,
  ...extra,
});
const option = (n: number) => ({ label: `#${n} Ban`, value: `case-${n}` });
const embed = { title: 'Ban | Case #1' };

function execute(webhook: { id: string; token: string }, body: unknown, query = 'wait=true') {
  return api(`/webhooks/${webhook.id}/${webhook.token}?${query}`, 'POST', body);
}

async function invalid(response: Response): Promise<unknown> {
  expect(response.status).toBe(400);
  const body = (await response.json()) as { code: number; message: string; errors: unknown };
  expect(body).toMatchObject({ code: 50035, message: 'Invalid Form Body' });
  return body.errors;
}

describe('components on webhook messages', () => {
  it('keeps them on a webhook the application made, with or without with_components', async () => {
    const w = await seed();
    const components = [row(button('case:undo:1'), link)];
    for (const query of ['wait=true', 'wait=true&with_components=true']) {
      const sent = await execute(w.owned, { embeds: [embed], components }, query);
      expect(sent.status).toBe(200);
      expect(((await sent.json()) as SandboxMessage).components).toEqual(components);
    }
  });

  it('ignores them, unchecked, on another webhook without with_components', async () => {
    const w = await seed();
    const sent = await execute(w.foreign, { embeds: [embed], components: [row(button('x'.repeat(500)))] });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as SandboxMessage).components).toEqual([]);
    // Components alone are then nothing to send.
    const empty = await execute(w.foreign, { components: [row(link)] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: number }).code).toBe(50006);
  });

  it('lets another webhook send link buttons with with_components, and refuses interactive ones', async () => {
    const w = await seed();
    const links = await execute(
      w.foreign,
      { embeds: [embed], components: [row(link)] },
      'wait=1&with_components=true',
    );
    expect(((await links.json()) as SandboxMessage).components).toEqual([row(link)]);
    const refused = await execute(
      w.foreign,
      { embeds: [embed], components: [row(link, button('case:undo:1')), row(select([option(1)]))] },
      'wait=true&with_components=true',
    );
    const errors = (await invalid(refused)) as {
      components: Record<string, { components: Record<string, unknown> }>;
    };
    expect(Object.keys(errors.components)).toEqual(['0', '1']);
    expect(Object.keys(errors.components['0']?.components ?? {})).toEqual(['1']);
    expect(Object.keys(errors.components['1']?.components ?? {})).toEqual(['0']);
    const messages = await control<SandboxMessage[]>(`/channels/${w.channelId}/messages`);
    expect(messages).toHaveLength(1);
  });

  it('edits follow the same rule: replaced on the application’s webhook, ignored on another without the flag', async () => {
    const w = await seed();
    const first = (await (
      await execute(w.owned, { embeds: [embed], components: [row(button('a'))] })
    ).json()) as {
      id: string;
    };
    const base = `/webhooks/${w.owned.id}/${w.owned.token}/messages/${first.id}`;
    const edited = await api(`${base}?with_components=true`, 'PATCH', {
      components: [row(button('b', 'History'))],
    });
    expect(((await edited.json()) as SandboxMessage).components).toEqual([row(button('b', 'History'))]);
    // Without components the edit keeps them; null (or []) clears them.
    const kept = await api(base, 'PATCH', { embeds: [{ title: 'edited' }] });
    expect(((await kept.json()) as SandboxMessage).components).toEqual([row(button('b', 'History'))]);
    const cleared = await api(base, 'PATCH', { components: null });
    expect(((await cleared.json()) as SandboxMessage).components).toEqual([]);
    // An invalid payload is refused before the message is looked up.
    expect(await invalid(await api(`${base}`, 'PATCH', { components: [row()] }))).toEqual({
      components: {
        0: {
          components: {
            _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' }],
          },
        },
      },
    });

    const other = (await (await execute(w.foreign, { embeds: [embed] })).json()) as { id: string };
    const foreignBase = `/webhooks/${w.foreign.id}/${w.foreign.token}/messages/${other.id}`;
    const ignored = await api(foreignBase, 'PATCH', { components: [row(button('c'))] });
    expect(((await ignored.json()) as SandboxMessage).components).toEqual([]);
    await invalid(
      await api(`${foreignBase}?with_components=true`, 'PATCH', { components: [row(button('c'))] }),
    );
  });
});

describe('component limits', () => {
  const errorsOf = async (components: unknown, w: World) =>
    invalid(await execute(w.owned, { embeds: [embed], components }));

  it('at most 5 rows; a row 1 to 5 buttons wide, a select taking it whole', async () => {
    const w = await seed();
    const rows = Array.from({ length: 6 }, (_, i) => row(button(`r${i}`)));
    expect(await errorsOf(rows, w)).toEqual({
      components: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' }] },
    });
    const six = Array.from({ length: 6 }, (_, i) => button(`b${i}`));
    expect(await errorsOf([row(...six)], w)).toMatchObject({
      components: { 0: { components: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } },
    });
    expect(await errorsOf([row(select([option(1)]), button('x'))], w)).toEqual({
      components: {
        0: {
          components: {
            1: {
              _errors: [
                {
                  code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
                  message: 'The specified component exceeds the maximum width',
                },
              ],
            },
          },
        },
      },
    });
    const five = Array.from({ length: 5 }, (_, i) =>
      row(...Array.from({ length: 5 }, (_, j) => button(`${i}-${j}`))),
    );
    expect((await execute(w.owned, { embeds: [embed], components: five })).status).toBe(200);
  });

  it('custom_id 1 to 100 characters, required on a button, unique in the message; label up to 80', async () => {
    const w = await seed();
    const errors = (await errorsOf(
      [
        row(button('x'.repeat(101)), button('same'), { type: 2, style: 1, label: 'no id' }),
        row(button('same'), button('ok', 'l'.repeat(81))),
      ],
      w,
    )) as { components: Record<string, { components: Record<string, unknown> }> };
    expect(errors.components['0']?.components).toEqual({
      0: {
        custom_id: {
          _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }],
        },
      },
      2: {
        custom_id: {
          _errors: [{ code: 'BUTTON_COMPONENT_CUSTOM_ID_REQUIRED', message: 'A custom id required' }],
        },
      },
    });
    expect(errors.components['1']?.components).toEqual({
      0: {
        custom_id: {
          _errors: [
            { code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' },
          ],
        },
      },
      1: {
        label: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 80 or fewer in length.' }] },
      },
    });
    expect(
      (
        await execute(w.owned, {
          embeds: [embed],
          components: [row(button('x'.repeat(100), 'l'.repeat(80)))],
        })
      ).status,
    ).toBe(200);
  });

  it('select: 1 to 25 options, their label and value up to 100, description up to 100, placeholder up to 150', async () => {
    const w = await seed();
    const none = await errorsOf([row(select([]))], w);
    expect(none).toMatchObject({
      components: { 0: { components: { 0: { options: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH' }] } } } } },
    });
    const many = Array.from({ length: 26 }, (_, i) => option(i));
    expect(await errorsOf([row(select(many))], w)).toEqual(none);
    const long = 'v'.repeat(101);
    const errors = await errorsOf(
      [
        row(
          select([{ label: long, value: long, description: long }, option(2)], {
            placeholder: 'p'.repeat(151),
          }),
        ),
      ],
      w,
    );
    const tooLong = (max: number) => ({
      _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }],
    });
    expect(errors).toEqual({
      components: {
        0: {
          components: {
            0: {
              placeholder: tooLong(150),
              options: { 0: { label: tooLong(100), value: tooLong(100), description: tooLong(100) } },
            },
          },
        },
      },
    });
    const fits = select(
      Array.from({ length: 25 }, (_, i) => option(i)),
      { placeholder: 'p'.repeat(150) },
    );
    expect((await execute(w.owned, { embeds: [embed], components: [row(fits)] })).status).toBe(200);
  });

  it('checks a bot’s channel messages the same way', async () => {
    const w = await seed();
    const refused = await api(`/channels/${w.channelId}/messages`, 'POST', {
      content: 'x',
      components: [row(button('same'), button('same'))],
    });
    expect(await invalid(refused)).toMatchObject({
      components: {
        0: { components: { 1: { custom_id: { _errors: [{ code: 'COMPONENT_CUSTOM_ID_DUPLICATED' }] } } } },
      },
    });
  });
});
