// Bookkeeping on intents (pending_actions) beyond creating and completing them.
import { eq } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { pendingActions } from '../../db/schema.ts';

/** Notes that Discord accepted the action, so the reconciler completes it without asking Discord. */
export async function markIntentAccepted(
  db: EdgeDatabase,
  intentId: string,
  dmDelivered: boolean | null,
  now: Date,
): Promise<void> {
  await db
    .update(pendingActions)
    .set({ discordAcceptedAt: now, dmDelivered })
    .where(eq(pendingActions.id, intentId));
}
