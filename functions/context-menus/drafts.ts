// Drafts carry a message context-menu command's message to the modal submit that finishes it: the
// submit cannot carry it (a custom_id holds 100 characters), and must not be trusted to (a client can
// put anything in a modal). Saved when the menu is used — from Discord's signed payload — and taken
// once, by the same moderator in the same server, before it expires. Expired drafts are pruned by the
// insert that saves the next one, so the table holds only the last quarter hour's.
import { and, eq, gt, lt } from 'drizzle-orm';
import type { EdgeDatabase } from '../../db/edge.ts';
import { interactionDrafts } from '../../db/schema.ts';
import type { MessageEvidence } from '../../shared/evidence.ts';

/** As long as the interaction token the menu came with: a modal left open longer is stale. */
export const DRAFT_TTL_MS = 15 * 60_000;

export interface MessageDraft {
  /** The context menu's key (shared/commands/context-menus.ts). */
  menu: string;
  /** The message's author: the member the action is for. */
  targetId: string;
  evidence: MessageEvidence;
}

export async function saveDraft(
  db: EdgeDatabase,
  owner: { guildId: string; moderatorId: string },
  draft: MessageDraft,
  now: Date,
): Promise<string> {
  const id = crypto.randomUUID();
  await db.batch([
    db.delete(interactionDrafts).where(lt(interactionDrafts.expiresAt, now)),
    db.insert(interactionDrafts).values({
      id,
      guildId: owner.guildId,
      moderatorId: owner.moderatorId,
      kind: draft.menu,
      payload: draft,
      createdAt: now,
      expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
    }),
  ]);
  return id;
}

/** Takes (deletes and returns) the draft if it is this moderator's, in this server, of this menu, and fresh. */
export async function takeDraft(
  db: EdgeDatabase,
  id: string,
  owner: { guildId: string; moderatorId: string; menu: string },
  now: Date,
): Promise<MessageDraft | null> {
  const [row] = await db
    .delete(interactionDrafts)
    .where(
      and(
        eq(interactionDrafts.id, id),
        eq(interactionDrafts.guildId, owner.guildId),
        eq(interactionDrafts.moderatorId, owner.moderatorId),
        eq(interactionDrafts.kind, owner.menu),
        gt(interactionDrafts.expiresAt, now),
      ),
    )
    .returning({ payload: interactionDrafts.payload });
  return row ? (row.payload as MessageDraft) : null;
}
