// /escalation add warnings within action [duration] | list | remove policy: the server's escalation
// policies (Manage Server, checked for the command by interactions/handle.ts). Each change and its
// `audit:logged` line are one transaction (escalation/policies.ts). What a policy does when a
// warning crosses it is escalation/runner.ts's.
import { MAX_ESCALATION_POLICIES } from '../../../shared/command-definitions.ts';
import { discordTime, embedLimits, truncate } from '../../../shared/embed-fit.ts';
import { checkPolicyInput, policyLine } from '../../escalation/decide.ts';
import { addPolicy, listPolicies, removePolicy } from '../../escalation/policies.ts';
import { publishEvents } from '../../events/publish.ts';
import { CommandError } from '../../interactions/errors.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';

export const escalation: CommandHandler = (context) => {
  switch (context.options.subcommand) {
    case 'add':
      return add(context);
    case 'list':
      return list(context);
    case 'remove':
      return remove(context);
    default:
      throw new CommandError(
        'invalid_option',
        'Use /escalation add, /escalation list or /escalation remove.',
      );
  }
};

/** What counts (escalation/decide.ts `countedActions`), said wherever policies are shown. */
const COUNTED =
  'Counted: warnings given with /warn or its menus, and messages AutoMod blocked or flagged — not deleted ones.';

async function add({ services, interaction, options, waitUntil }: CommandContext) {
  const checked = checkPolicyInput({
    warnings: options.integer('warnings'),
    within: options.string('within'),
    action: options.string('action'),
    duration: options.string('duration'),
  });
  if (!checked.ok) throw new CommandError('invalid_option', checked.error);
  const result = await addPolicy(services.db, {
    guildId: interaction.guild_id,
    terms: checked.terms,
    createdBy: interaction.member.user.id,
    now: services.now(),
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
      waitUntil(publishEvents(services, [result.event]));
      return { content: `Added policy ${policyLine(result.policy)}. ${COUNTED}` };
  }
}

async function list({ services, interaction }: CommandContext) {
  const policies = await listPolicies(services.db, interaction.guild_id);
  if (policies.length === 0)
    return { content: 'This server has no escalation policies. Add one with /escalation add.' };
  const lines = policies.map(
    (p) => `${policyLine(p)} (added by <@${p.createdBy}> ${discordTime(p.createdAt, 'd')})`,
  );
  return {
    embeds: [
      {
        title: `Escalation policies (${policies.length} of ${MAX_ESCALATION_POLICIES})`,
        description: truncate([...lines, '', COUNTED].join('\n'), embedLimits.description),
      },
    ],
  };
}

async function remove({ services, interaction, options, waitUntil }: CommandContext) {
  const policyNumber = options.integer('policy');
  if (
    policyNumber === null ||
    !Number.isInteger(policyNumber) ||
    policyNumber < 1 ||
    policyNumber > 2_147_483_647
  )
    throw new CommandError('invalid_option', 'Give the policy’s number, as /escalation list shows it.');
  const result = await removePolicy(services.db, {
    guildId: interaction.guild_id,
    policyNumber,
    removedBy: interaction.member.user.id,
    now: services.now(),
  });
  if (result.status === 'none')
    throw new CommandError(
      'not_found',
      `There is no policy #${policyNumber} in this server. See /escalation list.`,
    );
  waitUntil(publishEvents(services, [result.event]));
  return { content: `Removed policy ${policyLine(result.policy)}.` };
}
