// The case a mod-log button or menu names. A custom_id is ours but comes back through the client, so
// the case must exist in the server the click came from; one of another server reads as missing,
// which tells a forger nothing.
import { and, eq } from 'drizzle-orm';
import { cases } from '../../db/schema.ts';
import { CommandError } from '../interactions/errors.ts';
import type { CaseRow } from '../moderation/cases.ts';
import type { Services } from '../services.ts';

export async function findClickedCase(services: Services, guildId: string, caseId: string): Promise<CaseRow> {
  const [row] = await services.db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), eq(cases.guildId, guildId)))
    .limit(1);
  if (!row) throw new CommandError('not_found', 'That case does not exist in this server; nothing was done.');
  return row;
}
