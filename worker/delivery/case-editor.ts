// Reason edits: once a `case.reason_edited` audit line is posted, the message that shows the case is
// edited in place, re-rendered from its `cases` row (the other embeds of the message are kept). A
// case shown in a digest (digest.ts) keeps its line, which gets the new reason and who edited it:
// `<@id> \`id\` #12 — reason: … (edited by <@mod>)`; the digest's reason above stays the batch's.
import type { APIEmbed } from 'discord-api-types/v10';
import { withDigestLine } from '../../shared/digest-embeds.ts';
import { embedLength, embedLimits, fitEmbed, truncate } from '../../shared/embed-fit.ts';
import { caseLogEmbed } from '../../shared/embeds.ts';
import type { CallOptions, WebhookClient } from '../discord/webhook-client.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { Killed, type Persister } from '../persist.ts';
import type { ModlogTarget, RelayStore } from '../store/relay-store.ts';
import type { ModlogTargets } from './modlog-targets.ts';
import type { WorkItem } from './work-item.ts';

export interface CaseEditorDeps {
  store: RelayStore;
  discord: WebhookClient;
  call: CallOptions;
  targets: ModlogTargets;
  persister: Persister;
  metrics: RelayMetrics;
  logger: Logger;
}

export class CaseEditor {
  readonly #d: CaseEditorDeps;

  constructor(deps: CaseEditorDeps) {
    this.#d = deps;
  }

  /** Edits the message that shows the case of this reason edit. */
  async edit(item: WorkItem, target: ModlogTarget): Promise<void> {
    const result = (r: string) => this.#d.metrics.edits.inc({ result: r });
    const caseId = item.event.data.id;
    const guildId = target.guildId;
    if (typeof caseId !== 'string') return result('no_case');
    const row = await this.#d.store.caseRow(guildId, caseId);
    if (!row?.modlogMessageId) return result('not_posted');
    if (row.modlogWebhookId !== target.webhook.id) return result('other_webhook');
    const messageId = row.modlogMessageId;
    const message = await this.#d.store.message(messageId);
    const shows = (id: unknown) => id === caseId || (Array.isArray(id) && id.includes(caseId));
    const positions = message ? message.caseIds.flatMap((id, i) => (shows(id) ? [i] : [])) : [];
    if (!message || positions.length === 0) return result('unknown_layout');
    const others = message.embeds.reduce((n, e, i) => (positions.includes(i) ? n : n + embedLength(e)), 0);
    const digestAt = positions.find((i) => Array.isArray(message.caseIds[i]));
    let embeds: APIEmbed[];
    if (digestAt !== undefined) {
      const edited = message.embeds[digestAt] as APIEmbed;
      const by = row.reasonEditedBy ? ` (edited by <@${row.reasonEditedBy}>)` : '';
      const note = `reason: ${row.reason?.trim() ? truncate(row.reason, 1000) : 'none'}${by}`;
      const line = { caseNumber: row.caseNumber, userId: row.userId, note };
      const fresh = withDigestLine(edited, line, embedLimits.total - others);
      if (!fresh) return result('unknown_layout');
      embeds = message.embeds.map((e, i) => (i === digestAt ? fresh : e));
    } else {
      const fresh = fitEmbed(
        caseLogEmbed({
          caseId: row.id,
          caseNumber: row.caseNumber,
          action: row.action,
          userId: row.userId,
          moderatorId: row.moderatorId,
          reason: row.reason,
          createdAt: row.createdAt,
          expiresAt: row.expiresAt,
          dmDelivered: row.dmDelivered,
          reasonEditedBy: row.reasonEditedBy,
          reasonEditedAt: row.reasonEditedAt,
          source: row.source,
          automodRule: row.automodRule,
        }),
        Math.max(1, Math.floor((embedLimits.total - others) / positions.length)),
      );
      embeds = message.embeds.map((e, i) => (positions.includes(i) ? fresh : e));
    }
    const outcome = await this.#d.discord.editMessage(
      target.webhook,
      messageId,
      { embeds, allowed_mentions: { parse: [] } },
      this.#d.call,
    );
    if (this.#d.persister.killed) throw new Killed();
    switch (outcome.kind) {
      case 'ok':
        await this.#d.persister.write('postgres', 'saving an edited message', () =>
          this.#d.store.saveEditedMessage(messageId, embeds),
        );
        return result('edited');
      case 'unknown_message':
        return result('message_deleted');
      case 'invalid_webhook':
        await this.#d.targets.refused(target, outcome.detail);
        return result('webhook_invalid');
      case 'stopped':
        return result('stopped');
      default:
        this.#d.logger.warn('could not edit a case message', { guildId, caseId, detail: outcome.detail });
        return result('failed');
    }
  }
}
