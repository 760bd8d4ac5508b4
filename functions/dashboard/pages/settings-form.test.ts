import { describe, expect, it } from 'vitest';
import { formInteger, formText, noticeText, settingsNotices } from './settings-form.ts';

describe('settings form fields', () => {
  it('takes a field sent once as text, and nothing else', () => {
    const body = { name: 'spam', twice: ['a', 'b'], file: new File(['x'], 'x.txt') };
    expect(formText(body, 'name')).toBe('spam');
    expect(formText(body, 'twice')).toBeNull();
    expect(formText(body, 'file')).toBeNull();
    expect(formText(body, 'missing')).toBeNull();
  });

  it('reads integers as a command’s integer option would be, anything else as absent', () => {
    const body = { a: '3', b: ' 12 ', c: '-1', d: '2.5', e: '3e2', f: 'abc', g: '', h: '9'.repeat(20) };
    expect(formInteger(body, 'a')).toBe(3);
    expect(formInteger(body, 'b')).toBe(12);
    expect(formInteger(body, 'c')).toBe(-1);
    for (const name of ['d', 'e', 'f', 'g', 'h', 'missing']) expect(formInteger(body, name)).toBeNull();
  });
});

describe('noticeText', () => {
  it('maps our keys to fixed words and ignores anything else in the URL', () => {
    expect(noticeText('reason-saved')).toBe(settingsNotices['reason-saved']);
    expect(noticeText('<script>alert(1)</script>')).toBeNull();
    expect(noticeText('toString')).toBeNull();
    expect(noticeText('__proto__')).toBeNull();
    expect(noticeText(undefined)).toBeNull();
  });
});
