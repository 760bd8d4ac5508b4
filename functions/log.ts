// Log lines for errors, for the interaction path and the scheduler alike: an error's class and
// message with anything secret-shaped (database passwords, webhook and bot tokens) removed.

export function errorForLog(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Drizzle's "Failed query" errors end with the query's parameters: values being written, which
  // can be secrets (a webhook token being saved). The SQL before them has only placeholders.
  return text
    .replace(/\nparams: [\s\S]*$/, '')
    .replace(/(postgres(?:ql)?:\/\/[^:@/\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/\/webhooks\/(\d+)\/[\w.-]+/g, '/webhooks/$1/:token')
    .replace(/(Bot|Bearer)\s+[\w.-]+/g, '$1 ***');
}
