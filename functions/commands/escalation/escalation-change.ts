// Adding and removing an escalation policy — `/escalation add|remove` and the dashboard's settings
// forms both run these: the input checked (escalation/decide.ts checkPolicyInput, the policy
// number's bounds), the change and its `audit:logged` event (escalation/policies.ts), publishing
// after the answer. Refusals are CommandErrors with the words /escalation has always used.
import { MAX_ESCALATION_POLICIES } from '../../../shared/command-definitions.ts';
import type { PolicyRow } from '../../escalation/crossing.ts';
import { checkPolicyInput, type PolicyInput, type PolicyTerms, policyLine } from '../../escalation/decide.ts';
import { addPolicy, removePolicy } from '../../escalation/policies.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import { type ChangeActor, viaDetails } from '../change-actor.ts';

/** What counts (escalation/decide.ts `countedActions`), said wherever policies are shown. */
export const COUNTED =
  'Counted: warnings given with /warn or its menus, and messages AutoMod blocked or flagged — not deleted ones.';

export async function addEscalationPolicy(actor: ChangeActor, input: PolicyInput): Promise<PolicyTerms> {
  const checked = checkPolicyInput(input);
  if (!checked.ok) throw new CommandError('invalid_option', checked.error);
  const { services } = actor;
  const result = await addPolicy(services.db, {
    guildId: actor.guildId,
    terms: checked.terms,
    createdBy: actor.moderator.id,
    now: services.now(),
    details: viaDetails(actor),
  });
  switch (result.status) {
    case 'duplicate':
      throw new CommandError(
        'invalid_option',
        `Policy ${policyLine(result.policy)} already acts at that threshold. Remove it first with /escalation remove.`,
      );
    case 'full':
      throw new CommandError(
        'invalid_option',
        `This server has ${MAX_ESCALATION_POLICIES} policies, the most it can keep. Remove one first.`,
      );
    case 'changed':
      throw new CommandError(
        'unavailable',
        'The policies changed while I was adding this one; nothing was added. Try again.',
      );
    case 'added':
      actor.waitUntil(publishEvents(services, [result.event]));
      return result.policy;
  }
}

/** `policyNumber` as given (an option, a form field): anything but a policy number is refused. */
export async function removeEscalationPolicy(
  actor: ChangeActor,
  policyNumber: number | null,
): Promise<PolicyRow> {
  if (
    policyNumber === null ||
    !Number.isInteger(policyNumber) ||
    policyNumber < 1 ||
    policyNumber > 2_147_483_647
  )
    throw new CommandError('invalid_option', 'Give the policy’s number, as /escalation list shows it.');
  const { services } = actor;
  const result = await removePolicy(services.db, {
    guildId: actor.guildId,
    policyNumber,
    removedBy: actor.moderator.id,
    now: services.now(),
    details: viaDetails(actor),
  });
  if (result.status === 'none')
    throw new CommandError(
      'not_found',
      `There is no policy #${policyNumber} in this server. See /escalation list.`,
    );
  actor.waitUntil(publishEvents(services, [result.event]));
  return result.policy;
}
