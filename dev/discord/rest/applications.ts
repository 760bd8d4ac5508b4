// Application commands: Get and Bulk Overwrite, global and per guild, for the bot's own application
// only. Bulk overwrite keeps a command's id when one of the same type and name existed, as Discord does.
import {
  type APIApplicationCommand,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { apiError, invalidFormBody } from '../errors.ts';
import { nextSnowflake } from '../ids.ts';
import { checkCommandsBody } from '../validation.ts';
import { byGuild, ok, type RestContext, type RestRoute } from './context.ts';

export function registerApplicationRoutes(ctx: RestContext): void {
  const { state, appId } = ctx;

  const commands =
    (guildScoped: boolean): RestRoute['handle'] =>
    ({ params, method, body }) => {
      if (params.application_id !== appId) throw apiError(RESTJSONErrorCodes.MissingAccess);
      const guild = guildScoped ? (state.guilds.get(params.guild_id!) ?? null) : null;
      if (guildScoped && !guild?.members.has(appId)) throw apiError(RESTJSONErrorCodes.MissingAccess);
      const current = guild ? guild.commands : state.globalCommands;
      if (method === 'GET') return ok(current);
      const errors = checkCommandsBody(body);
      if (errors) throw invalidFormBody(errors);
      const next = (body as Record<string, unknown>[]).map((definition) =>
        toCommand(definition, current, appId, guild?.id ?? null),
      );
      if (guild) guild.commands = next;
      else state.globalCommands = next;
      return ok(next);
    };

  const global = '/applications/{application_id}/commands';
  const perGuild = '/applications/{application_id}/guilds/{guild_id}/commands';
  ctx.add('GET', global, {}, commands(false));
  ctx.add('PUT', global, {}, commands(false));
  ctx.add('GET', perGuild, { limits: ctx.defaultLimits('GET', perGuild, byGuild) }, commands(true));
  ctx.add('PUT', perGuild, { limits: ctx.defaultLimits('PUT', perGuild, byGuild) }, commands(true));
}

function toCommand(
  definition: Record<string, unknown>,
  existing: readonly APIApplicationCommand[],
  applicationId: string,
  guildId: string | null,
): APIApplicationCommand {
  const type = (definition.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
  const name = String(definition.name);
  const previous = existing.find((command) => command.type === type && command.name === name);
  const permissions = definition.default_member_permissions;
  return {
    ...definition,
    id: previous?.id ?? nextSnowflake(),
    application_id: applicationId,
    version: nextSnowflake(),
    type,
    name,
    description: typeof definition.description === 'string' ? definition.description : '',
    default_member_permissions: typeof permissions === 'string' ? permissions : null,
    dm_permission: definition.dm_permission !== false,
    contexts: (definition.contexts as InteractionContextType[] | undefined) ?? [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
    integration_types: (definition.integration_types as ApplicationIntegrationType[] | undefined) ?? [
      ApplicationIntegrationType.GuildInstall,
    ],
    nsfw: definition.nsfw === true,
    ...(guildId ? { guild_id: guildId } : {}),
  } as APIApplicationCommand;
}
