// Types of autocomplete.js's pure parts, for the TypeScript tests that import them (the page itself
// is plain JavaScript with no build step).
export const DEBOUNCE_MS: number;
export function pickedValue(field: { value: string; dataset: { value?: string; shown?: string } }): string;
export function suggestionsHtml(
  optionName: string,
  choices: { name: string; value: string | number }[],
  active: number,
  failed?: boolean,
): string;
export function createAutocomplete(options: unknown): { hide(): void };
