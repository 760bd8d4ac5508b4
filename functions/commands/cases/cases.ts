// /cases [user] [moderator] [action] [since] [source]: the server's cases matching every filter
// given, newest first, ten a page in one embed, with Previous/Next buttons
// (functions/components/cases-pages.ts) — one indexed query a page (case-search.ts).
import type { CommandHandler } from '../command-handler.ts';
import { readCaseFilters } from './case-filters.ts';
import { searchCases } from './case-search.ts';
import { casesReply } from './cases-page.ts';

export const casesCommand: CommandHandler = async ({ services, interaction, options }) => {
  const filters = readCaseFilters(options, services.now());
  const page = await searchCases(services.db, interaction.guild_id, filters, null);
  return casesReply(filters, page.rows, { newer: false, older: page.more });
};
