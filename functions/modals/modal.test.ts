import { ComponentType, InteractionResponseType, TextInputStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { modalResponse, readModalFields } from './modal.ts';

describe('modals', () => {
  it('builds a modal within Discord’s limits', () => {
    const response = modalResponse('ctx:ban:1', 'Ban a-very-long-username-that-goes-on-and-on-forever', [
      {
        customId: 'reason',
        label: 'Reason',
        style: 'paragraph',
        required: false,
        maxLength: 512,
        value: 'x'.repeat(600),
      },
      {
        customId: 'duration',
        label: 'Duration',
        style: 'short',
        required: true,
        maxLength: 32,
        placeholder: 'e.g. 1h',
      },
    ]);
    expect(response.type).toBe(InteractionResponseType.Modal);
    expect(response.data.title.length).toBeLessThanOrEqual(45);
    const [reason, duration] = response.data.components.map(
      (row) => (row as { components: unknown[] }).components[0],
    );
    expect(reason).toMatchObject({
      type: ComponentType.TextInput,
      style: TextInputStyle.Paragraph,
      custom_id: 'reason',
    });
    expect((reason as { value: string }).value).toHaveLength(512);
    expect(duration).toMatchObject({ style: TextInputStyle.Short, required: true, placeholder: 'e.g. 1h' });
  });

  it('reads text inputs from action rows and labels, ignoring anything else', () => {
    const fields = readModalFields({
      custom_id: 'x',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: 'reason', value: 'spam' }],
        },
        { type: 18, component: { type: ComponentType.TextInput, custom_id: 'duration', value: '1h' } },
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: 'bad', value: 3 }],
        },
      ],
    } as never);
    expect(fields).toEqual({ reason: 'spam', duration: '1h' });
  });
});
