// /massban's Confirm and Cancel buttons (custom_id `massban:confirm:<id>`, `massban:cancel:<id>`).
// The id is only a key: the massban must exist in this guild, be the clicker's own, still be a
// preview and be within its 15 minutes; the clicker must still hold Ban Members and the bot its
// permissions. Confirming is one conditional update (previewed → banning), so a second click —
// or two at once — finds nothing to confirm. The answer rewrites the preview at once (type 7,
// buttons removed); the banning goes on after it (runner.ts), editing that message with progress,
// and whatever this invocation cannot finish the scheduler does.
import { raidBotPermissions } from '../../shared/command-definitions.ts';
import { isUuid } from '../../shared/uuids.ts';
import { progressText } from '../commands/raid/massban/replies.ts';
import { editMassbanMessage, editMassbanSummary } from '../commands/raid/massban/reply-edits.ts';
import { advanceMassban, CHUNK_COST } from '../commands/raid/massban/runner.ts';
import {
  cancelMassban,
  confirmMassban,
  expireMassbans,
  type MassbanRow,
  readMassban,
} from '../commands/raid/massban/store.ts';
import { publishEvents } from '../events/publish.ts';
import { CommandError } from '../interactions/errors.ts';
import { replyResponse, updateMessageResponse } from '../interactions/respond.ts';
import { errorForLog } from '../log.ts';
import { requireBotPermissions, requireModeratorPermission } from '../moderation/checks.ts';
import type { ComponentContext, ComponentHandler } from './registry.ts';

/** What the confirming click's invocation spends on banning before it leaves the rest to the scheduler. */
export const INVOCATION_CHUNKS = 25;
export const INVOCATION_WORK_MS = 20_000;
/** Events published per MULTI. */
const PUBLISH_BATCH = 200;

const notOurs = () =>
  new CommandError('not_found', 'I know of no such massban in this server; nothing was done.');

/** Why a massban can no longer be confirmed or cancelled, as the clicker reads it. */
function closedText(row: MassbanRow): string {
  if (row.state === 'banning' || row.state === 'done')
    return 'This massban was already confirmed; it is carried out once. Nothing was done again.';
  if (row.state === 'cancelled') return 'This massban was cancelled. Run /massban again to start over.';
  return 'This preview expired (previews last 15 minutes). Nothing was done; run /massban again.';
}

async function runConfirmed(context: ComponentContext, row: MassbanRow): Promise<void> {
  const { services, interaction } = context;
  const deadline = Date.now() + INVOCATION_WORK_MS;
  const run = await advanceMassban(services, row.id, {
    requests: INVOCATION_CHUNKS * CHUNK_COST,
    timeLeft: () => Date.now() < deadline,
    now: () => services.now(),
    resumed: false,
    moderator: { id: interaction.member.user.id, username: interaction.member.user.username },
    progress: (current, sent) => editMassbanMessage(services, current, progressText(current, sent)),
  });
  for (let i = 0; i < run.events.length; i += PUBLISH_BATCH)
    await publishEvents(services, run.events.slice(i, i + PUBLISH_BATCH));
  if (run.state === 'done') await editMassbanSummary(services, row, run.noneBanned > 0);
}

export const massbanButtons: ComponentHandler = async (context) => {
  const { services, interaction, args, waitUntil } = context;
  const [verb, id] = args;
  if ((verb !== 'confirm' && verb !== 'cancel') || !id || !isUuid(id) || args.length !== 2) throw notOurs();
  requireModeratorPermission(interaction, 'massban');
  const row = await readMassban(services.db, id);
  if (!row || row.guildId !== interaction.guild_id) throw notOurs();
  if (row.moderatorId !== interaction.member.user.id) {
    throw new CommandError(
      'forbidden',
      `Only <@${row.moderatorId}>, who ran this /massban, can confirm or cancel it. Nothing was done.`,
    );
  }
  const now = services.now();
  const key = { id, guildId: interaction.guild_id, moderatorId: interaction.member.user.id };
  if (row.state === 'previewed' && row.confirmBy.getTime() <= now.getTime()) {
    await expireMassbans(services.db, now, { id });
    return replyResponse({ content: closedText({ ...row, state: 'expired' }) });
  }

  if (verb === 'cancel') {
    if (!(await cancelMassban(services.db, key, now))) {
      const current = (await readMassban(services.db, id)) ?? row;
      return replyResponse({ content: closedText(current) });
    }
    return updateMessageResponse({ content: 'Cancelled. Nobody was banned.' });
  }

  requireBotPermissions(interaction, raidBotPermissions.massban);
  const confirmed = await confirmMassban(services.db, key, interaction.token, now);
  if (!confirmed) {
    const current = (await readMassban(services.db, id)) ?? row;
    return replyResponse({ content: closedText(current) });
  }
  waitUntil(
    runConfirmed(context, confirmed).catch((error: unknown) => {
      console.error(`massban ${id}: ${errorForLog(error)}`);
      return editMassbanMessage(
        services,
        confirmed,
        '⏳ Banning was interrupted; I will carry on in the background within a few minutes.',
      );
    }),
  );
  const n = confirmed.userIds.length;
  return updateMessageResponse({
    content: `⏳ Banning ${n.toLocaleString('en-US')} user${n === 1 ? '' : 's'}… I will update this message as I go.`,
  });
};
