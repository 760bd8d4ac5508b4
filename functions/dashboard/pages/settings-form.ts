// What the settings forms send, read without trusting it: a field is one string or absent (a file,
// a repeated field or a missing one is absent), an integer is digits or absent — the shared change
// functions then refuse exactly what the slash commands refuse. And the notices a change redirects
// to: fixed keys in the URL, each mapped to fixed words, so nothing in a URL is ever shown.
export type FormBody = Record<string, string | File | (string | File)[]>;

/** The field's value when it was sent once as text; null otherwise. */
export function formText(body: FormBody, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' ? value : null;
}

const INTEGER = /^\s*-?\d{1,15}\s*$/;

/** The field as an integer (as a command's integer option would be), or null when it is not one. */
export function formInteger(body: FormBody, name: string): number | null {
  const value = formText(body, name);
  return value !== null && INTEGER.test(value) ? Number(value) : null;
}

export const settingsNotices = {
  'modlog-set': 'The mod-log now goes to the chosen channel.',
  'modlog-set-replay':
    'The mod-log now goes to the chosen channel. Events held back while the old mod-log was broken will be posted there now.',
  'policy-added': 'Added the escalation policy.',
  'policy-removed': 'Removed the escalation policy.',
  'reason-saved': 'Saved the reason.',
  'reason-replaced': 'Replaced the text of the saved reason.',
  'reason-unchanged': 'That reason was already saved with that text; nothing changed.',
  'reason-removed': 'Removed the saved reason.',
} as const;

export type SettingsNotice = keyof typeof settingsNotices;

/** The words of a `?done=` key; null for anything that is not one of ours. */
export function noticeText(key: string | undefined): string | null {
  return key !== undefined && Object.hasOwn(settingsNotices, key)
    ? settingsNotices[key as SettingsNotice]
    : null;
}
