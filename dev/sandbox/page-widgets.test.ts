// The pure parts of the page's interactive widgets: right-click menus and their Apps submenu, a
// modal's inputs read from action rows or labels with Discord's defaults and what stops Submit,
// autocomplete's list and the value a picked suggestion sends, and string selects drawn under a
// message (the browser test, test/e2e/sandbox-interactive.test.ts, drives them for real).
import { describe, expect, it } from 'vitest';
import { pickedValue, suggestionsHtml } from './autocomplete.js';
import { buttonLabel, renderComponents, selectOptionsHtml } from './components.js';
import { appsSubmenu, menuHtml } from './context-menu.js';
import { modalHtml, modalInputs, modalProblems } from './modal.js';

describe('right-click menus', () => {
  it('draws items, submenus, separators and red items, each named for the page', () => {
    const chosen: string[] = [];
    const apps = appsSubmenu(['Warn', 'Ban'], (name: string) => chosen.push(name));
    expect(apps).toMatchObject({ label: 'Apps', items: [{ id: 'apps:Warn' }, { id: 'apps:Ban' }] });
    apps?.items[1]?.onSelect();
    expect(chosen).toEqual(['Ban']);
    const html = menuHtml([
      apps,
      { separator: true },
      { label: 'Ban <Tom>', id: 'discord:ban', danger: true },
    ]);
    expect(html).toContain('data-menu-item="apps"');
    expect(html).toContain('aria-haspopup="menu"');
    expect(html).toContain('data-at="0.1" data-menu-item="apps:Ban"');
    expect(html).toContain('role="separator"');
    expect(html).toContain('class="menu-item danger"');
    expect(html).toContain('Ban &lt;Tom&gt;');
  });

  it('leaves Apps out when the member is shown no entries, as Discord does', () => {
    expect(appsSubmenu([], () => {})).toBeNull();
  });
});

describe('modals', () => {
  const modal = {
    custom_id: 'ctx:ban:1',
    title: 'Ban member',
    components: [
      {
        type: 1,
        components: [
          { type: 4, custom_id: 'reason', label: 'Reason', style: 2, placeholder: 'Why', value: 'Spam' },
        ],
      },
      {
        type: 18,
        label: 'Duration',
        description: 'Empty: permanent',
        component: {
          type: 4,
          custom_id: 'duration',
          style: 1,
          required: false,
          min_length: 2,
          max_length: 32,
        },
      },
    ],
  };

  it('reads text inputs from action rows and labels, with Discord’s defaults', () => {
    expect(modalInputs(modal)).toEqual([
      {
        customId: 'reason',
        label: 'Reason',
        description: null,
        paragraph: true,
        required: true,
        minLength: 0,
        maxLength: 4000,
        placeholder: 'Why',
        value: 'Spam',
      },
      {
        customId: 'duration',
        label: 'Duration',
        description: 'Empty: permanent',
        paragraph: false,
        required: false,
        minLength: 2,
        maxLength: 32,
        placeholder: '',
        value: '',
      },
    ]);
    const html = modalHtml(modal, 'Lockdown');
    expect(html).toContain('<textarea');
    expect(html).toContain('>Spam</textarea>');
    expect(html).toContain('type="text" id="modal-input-1" data-custom-id="duration" maxlength="32"');
    // The required mark only on the field that is required.
    expect(html.match(/class="required"/g)).toHaveLength(1);
  });

  it('stops Submit on an empty required field or a value outside its lengths', () => {
    const inputs = modalInputs(modal);
    expect(modalProblems(inputs, { reason: ' ', duration: '' })).toEqual({
      reason: 'This field is required',
    });
    expect(modalProblems(inputs, { reason: 'ok', duration: '1' })).toEqual({
      duration: 'Must be at least 2 characters long',
    });
    expect(modalProblems(inputs, { reason: 'ok', duration: 'x'.repeat(33) })).toEqual({
      duration: 'Must be 32 or fewer characters long',
    });
    expect(modalProblems(inputs, { reason: 'ok', duration: '' })).toEqual({});
  });
});

describe('autocomplete', () => {
  it('sends a picked choice’s value while its name is shown, and the text once it is typed over', () => {
    const field = {
      value: 'spam — Posting spam',
      dataset: { value: 'Posting spam', shown: 'spam — Posting spam' },
    };
    expect(pickedValue(field)).toBe('Posting spam');
    expect(pickedValue({ ...field, value: 'spam — Posting spam!' })).toBe('spam — Posting spam!');
    expect(pickedValue({ value: '12', dataset: {} })).toBe('12');
  });

  it('lists the choices under the option’s name, or says loading failed', () => {
    const html = suggestionsHtml(
      'reason',
      [
        { name: 'a <b>', value: 'a' },
        { name: 'c', value: 'c' },
      ],
      1,
    );
    expect(html).toContain('Options for <b>reason</b>');
    expect(html).toContain('a &lt;b&gt;');
    expect(html).toContain(
      'class="autocomplete-choice active" role="option" aria-selected="true" data-index="1"',
    );
    expect(suggestionsHtml('reason', [], 0)).toBe('');
    expect(suggestionsHtml('reason', [], 0, true)).toContain('Loading options failed');
  });
});

describe('string selects', () => {
  const select = {
    type: 3,
    custom_id: 'case:pick',
    placeholder: 'Act on a case in this message…',
    options: [
      { label: '#1 Ban', value: 'a', description: 'Member 1' },
      { label: '#2 Ban', value: 'b' },
    ],
  };

  it('draws the placeholder, or the default options, and the options when open', () => {
    const html = renderComponents([{ type: 1, components: [select] }]);
    expect(html).toContain('class="component-select"');
    expect(html).toContain('data-custom-id="case:pick" data-min="1" data-max="1"');
    expect(html).toContain('Act on a case in this message…');
    const withDefault = renderComponents([
      {
        type: 1,
        components: [{ ...select, disabled: true, options: [{ ...select.options[0], default: true }] }],
      },
    ]);
    expect(withDefault).toContain('<span class="select-value">#1 Ban</span>');
    expect(withDefault).toContain('disabled aria-disabled="true"');
    const open = selectOptionsHtml({ ...select, max_values: 2 }, ['b']);
    expect(open).toContain('Member 1');
    expect(open).toContain('aria-selected="true" data-value="b"');
    expect(open).toContain('select-check ticked');
  });

  it('names a pick by its options’ labels, a click by its button’s', () => {
    const rows = [
      { type: 1, components: [select] },
      { type: 1, components: [{ type: 2, style: 4, label: 'Undo (unban)', custom_id: 'case:undo:x' }] },
    ];
    expect(buttonLabel(rows, 'case:pick', ['b'])).toBe('#2 Ban');
    expect(buttonLabel(rows, 'case:undo:x')).toBe('Undo (unban)');
  });
});
