// Edits of posted case lines, re-rendered from their `cases` rows (case-lines.ts; the message's other
// embeds are kept): once a `case.reason_edited`, `case.deleted` or `case.duration_changed` audit
// line is posted, the line of that case (its new reason; removed, by whom and why, greyed and
// without buttons; its new end); once a
// case event is posted that ended earlier cases (an unban lifting a ban, an unmute, a re-ban
// superseding, the scheduler's lift: `cases.ended_by_case_id`), the lines of those cases, which
// then say how they ended. One PATCH per message, whatever number of its cases changed. On a
// webhook our application made, the message's buttons are recomputed from the rows and sent with
// the edit, so they survive it and Undo goes once its case is no longer in force; if Discord
// refuses the edit with them, it is made once more without. Once an appeal's decision
// (`appeal.accepted`/`appeal.denied`) is posted, the appeal's own line says it (appeal-lines.ts) and
// loses its Accept and Deny.
import type { APIEmbed } from 'discord-api-types/v10';
import { decidedAppealEventId } from '../../shared/appeal-components.ts';
import type { ModlogCase } from '../../shared/modlog-components.ts';
import type { CallOptions, WebhookClient, WebhookOutcome } from '../discord/webhook-client.ts';
import type { Logger } from '../observability/log.ts';
import type { RelayMetrics } from '../observability/metrics.ts';
import { Killed, type Persister } from '../persist.ts';
import type { EditedCase, ModlogTarget, RelayStore } from '../store/relay-store.ts';
import { decidedAppealEmbed, embedOfEvent } from './appeal-lines.ts';
import { type EditTrigger, rebuiltEmbeds } from './case-lines.ts';
import { editedComponents, type MessageComponents, singleCaseIds } from './message-components.ts';
import type { ModlogTargets } from './modlog-targets.ts';
import { lineEditOf, type WorkItem } from './work-item.ts';

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

  #count(trigger: EditTrigger | 'appeal', result: string): void {
    this.#d.metrics.edits.inc({ trigger, result });
  }

  /** Edits the message that shows the case of this reason edit, deletion or duration change. */
  async lineEdited(item: WorkItem, target: ModlogTarget): Promise<void> {
    const trigger = lineEditOf(item.event);
    if (!trigger) return;
    const caseId = item.event.data.id;
    if (typeof caseId !== 'string') return this.#count(trigger, 'no_case');
    const found = await this.#d.store.cases.editedCase(target.guildId, caseId);
    if (!found?.row.modlogMessageId) return this.#count(trigger, 'not_posted');
    if (found.row.modlogWebhookId !== target.webhook.id) return this.#count(trigger, 'other_webhook');
    this.#count(trigger, await this.#edit(target, found.row.modlogMessageId, [found], trigger));
  }

  /** Edits the lines of the posted cases these (just posted) cases ended, one PATCH per message. */
  async casesEnded(enderIds: readonly string[], target: ModlogTarget): Promise<void> {
    const ended = await this.#d.store.cases.casesEndedBy(target.guildId, enderIds);
    const byMessage = new Map<string, EditedCase[]>();
    for (const edited of ended) {
      const messageId = edited.row.modlogMessageId;
      if (!messageId) continue;
      if (edited.row.modlogWebhookId !== target.webhook.id) {
        this.#count('ended', 'other_webhook');
        continue;
      }
      byMessage.set(messageId, [...(byMessage.get(messageId) ?? []), edited]);
    }
    for (const [messageId, changed] of byMessage)
      this.#count('ended', await this.#edit(target, messageId, changed, 'ended'));
  }

  /** Edits the line of the appeal this decision decided: the decision shown, Accept and Deny gone. */
  async appealDecided(item: WorkItem, target: ModlogTarget): Promise<void> {
    const appealEventId = decidedAppealEventId(item.event);
    if (!appealEventId) return;
    const posted = await this.#d.store.cases.postedLine(target.guildId, appealEventId);
    if (!posted) return this.#count('appeal', 'not_posted');
    if (posted.webhookId !== target.webhook.id) return this.#count('appeal', 'other_webhook');
    const message = await this.#d.store.message(posted.messageId);
    const at = message ? embedOfEvent(message.embeds, appealEventId) : -1;
    if (!message || at < 0) return this.#count('appeal', 'unknown_layout');
    const embeds = message.embeds.map((e, i) => (i === at ? decidedAppealEmbed(e, item.event) : e));
    // An appeal's line travels alone: once decided it keeps no buttons (an empty list clears them).
    const outcome = await this.#patch(target, posted.messageId, embeds, target.owned ? [] : undefined);
    this.#count('appeal', await this.#settled(target, posted.messageId, embeds, outcome));
  }

  /** Rebuilds the changed lines of one message and edits it; returns the result to count. */
  async #edit(
    target: ModlogTarget,
    messageId: string,
    changed: EditedCase[],
    trigger: EditTrigger,
  ): Promise<string> {
    const message = await this.#d.store.message(messageId);
    if (!message) return 'unknown_layout';
    const embeds = rebuiltEmbeds(message.embeds, message.caseIds, changed, trigger);
    if (!embeds) return 'unknown_layout';
    const components = await this.#components(target, message.caseIds, changed);
    let outcome = await this.#patch(target, messageId, embeds, components);
    if (outcome.kind === 'bad_request' && components) {
      this.#d.logger.warn('a case message edit was refused with its buttons: editing it without', {
        guildId: target.guildId,
        detail: outcome.detail,
      });
      outcome = await this.#patch(target, messageId, embeds, undefined);
    }
    return this.#settled(target, messageId, embeds, outcome);
  }

  /** Saves an edit Discord took, or handles its refusal; returns the result to count. */
  async #settled(
    target: ModlogTarget,
    messageId: string,
    embeds: APIEmbed[],
    outcome: WebhookOutcome,
  ): Promise<string> {
    switch (outcome.kind) {
      case 'ok':
        await this.#d.persister.write('postgres', 'saving an edited message', () =>
          this.#d.store.saveEditedMessage(messageId, embeds),
        );
        return 'edited';
      case 'unknown_message':
        return 'message_deleted';
      case 'invalid_webhook':
        await this.#d.targets.refused(target, outcome.detail);
        return 'webhook_invalid';
      case 'stopped':
        return 'stopped';
      default:
        this.#d.logger.warn('could not edit a case message', {
          guildId: target.guildId,
          messageId,
          detail: outcome.detail,
        });
        return 'failed';
    }
  }

  /** The message's buttons from its cases as they are now (the changed rows, the others read). */
  async #components(
    target: ModlogTarget,
    caseIds: readonly (string | null | string[])[],
    changed: readonly EditedCase[],
  ): Promise<MessageComponents | undefined> {
    if (!target.owned) return undefined;
    // A removed (deleted) case's line keeps no buttons: there is nothing left to edit or undo.
    const known: ModlogCase[] = changed
      .filter(({ row }) => !row.deletedAt)
      .map(({ row }) => ({
        caseId: row.id,
        caseNumber: row.caseNumber,
        action: row.action,
        userId: row.userId,
        active: row.state === 'active',
      }));
    const have = new Set(changed.map(({ row }) => row.id));
    const missing = singleCaseIds(caseIds).filter((id) => !have.has(id));
    const read = missing.length > 0 ? await this.#d.store.cases.modlogCases(target.guildId, missing) : [];
    // None left (a removed case shown alone): an empty list clears the buttons the line had.
    return editedComponents(caseIds, [...known, ...read], target) ?? [];
  }

  async #patch(
    target: ModlogTarget,
    messageId: string,
    embeds: APIEmbed[],
    components: MessageComponents | undefined,
  ): Promise<WebhookOutcome> {
    const outcome = await this.#d.discord.editMessage(
      target.webhook,
      messageId,
      { embeds, allowed_mentions: { parse: [] }, ...(components ? { components } : {}) },
      this.#d.call,
    );
    if (this.#d.persister.killed) throw new Killed();
    return outcome;
  }
}
