// /escalation add warnings within action [duration] | list | remove policy: the server's escalation
// policies (Manage Server, checked for the command by interactions/handle.ts). The changes are
// escalation-change.ts's (shared with the dashboard's settings page); this handler reads the options
// and words the reply. What a policy does when a warning crosses it is escalation/runner.ts's.
import { MAX_ESCALATION_POLICIES } from '../../../shared/command-definitions.ts';
import { discordTime, embedLimits, truncate } from '../../../shared/embed-fit.ts';
import { policyLine } from '../../escalation/decide.ts';
import { listPolicies } from '../../escalation/policies.ts';
import { CommandError } from '../../interactions/errors.ts';
import { commandActor } from '../change-actor.ts';
import type { CommandContext, CommandHandler } from '../command-handler.ts';
import { addEscalationPolicy, COUNTED, removeEscalationPolicy } from './escalation-change.ts';

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

async function add(context: CommandContext) {
  const { options } = context;
  const policy = await addEscalationPolicy(commandActor(context), {
    warnings: options.integer('warnings'),
    within: options.string('within'),
    action: options.string('action'),
    duration: options.string('duration'),
  });
  return { content: `Added policy ${policyLine(policy)}. ${COUNTED}` };
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

async function remove(context: CommandContext) {
  const policy = await removeEscalationPolicy(commandActor(context), context.options.integer('policy'));
  return { content: `Removed policy ${policyLine(policy)}.` };
}
