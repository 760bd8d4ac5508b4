// Types of modal.js's pure parts, for the TypeScript tests that import them (the page itself is plain
// JavaScript with no build step).
export interface ModalInput {
  customId: string;
  label: string;
  description: string | null;
  paragraph: boolean;
  required: boolean;
  minLength: number;
  maxLength: number;
  placeholder: string;
  value: string;
}
export function modalInputs(modal: unknown): ModalInput[];
export function modalProblems(inputs: ModalInput[], values: Record<string, string>): Record<string, string>;
export function modalHtml(modal: unknown, appName: string): string;
export function openModal(options: unknown): { close(): void; element: unknown };
