// Types of context-menu.js's pure parts, for the TypeScript tests that import them (the page itself
// is plain JavaScript with no build step).
export interface MenuItem {
  label?: string;
  id?: string;
  onSelect?: () => void;
  items?: MenuItem[];
  danger?: boolean;
  hint?: string;
  disabled?: boolean;
  separator?: boolean;
}
export function menuHtml(items: (MenuItem | null)[], path?: string): string;
export function appsSubmenu(
  names: string[],
  onChoose: (name: string) => unknown,
): (MenuItem & { items: (MenuItem & { onSelect: () => void })[] }) | null;
export function createContextMenu(doc?: unknown): {
  open(event: unknown, items: MenuItem[]): void;
  close(): void;
  isOpen(): boolean;
};
