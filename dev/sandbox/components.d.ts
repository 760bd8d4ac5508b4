// Types of components.js's pure parts, for the TypeScript tests that import them (the page itself is
// plain JavaScript with no build step).
type Row = { type: number; components?: Record<string, unknown>[] };
export function renderComponents(components: Row[] | undefined): string;
export function selectOptionsHtml(select: Record<string, unknown>, picked?: string[]): string;
export function findComponent(
  components: Row[] | undefined,
  customId: string,
): Record<string, unknown> | null;
export function buttonLabel(components: Row[] | undefined, customId: string, values?: string[]): string;
export function sendClick(click: unknown): Promise<{ ok: boolean; status: number; body: unknown }>;
export function onButtonClick(root: unknown, onClick: unknown, findSelect?: unknown): void;
