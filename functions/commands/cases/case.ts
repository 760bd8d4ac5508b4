// /case number: shows one case as the mod-log shows it, with whether it is still in force.
import { caseEmbed } from '../../../shared/embeds.ts';
import { CommandError } from '../../interactions/errors.ts';
import { findCase } from '../../moderation/cases.ts';
import { readCaseNumber } from '../../moderation/inputs.ts';
import type { CommandHandler } from '../command-handler.ts';

export const caseCommand: CommandHandler = async ({ services, interaction, options }) => {
  const caseNumber = readCaseNumber(options, 'number');
  const found = await findCase(services.db, interaction.guild_id, caseNumber);
  if (!found) throw new CommandError('not_found', `There is no case #${caseNumber} in this server.`);
  return { embeds: [caseEmbed(found, { showState: true })] };
};
