// Which suggestions an autocomplete option gets: a `reason` option anywhere → the saved reasons; a
// case number (/case number, /reason case) → recent cases; /reasons remove name → the saved names.
// Pure; the unit test checks that every option declared with `autocomplete: true` has a source.
export type SuggestionSource = 'saved-reasons' | 'cases' | 'saved-names';

export function suggestionSource(
  command: string,
  subcommand: string | null,
  option: string,
): SuggestionSource | null {
  if (option === 'reason') return 'saved-reasons';
  if ((command === 'case' && option === 'number') || (command === 'reason' && option === 'case'))
    return 'cases';
  if (command === 'reasons' && subcommand === 'remove' && option === 'name') return 'saved-names';
  return null;
}
