// The settings routes: GET /dashboard/guilds/:guildId/settings and its forms' POSTs (mod-log
// channel, escalation policy add/remove, saved reason save/remove). Each asks for Manage Server
// through `guildOrForbidden` on every request (the CSRF token and Origin were checked by
// dashboard-app.ts before), then runs the same change function as the slash command, with the
// signed-in user as the moderator. A change answers 303 to the page with a fixed notice key; a
// refusal re-renders the page with the command's words (400, 409 when something changed under it,
// 502 when Discord failed) and changes nothing.
import type { Hono } from 'hono';
import type { PermissionName } from '../../../shared/permissions.ts';
import type { ChangeActor } from '../../commands/change-actor.ts';
import { addEscalationPolicy, removeEscalationPolicy } from '../../commands/escalation/escalation-change.ts';
import { LOST_RACE, setModlogChannel } from '../../commands/modlog/modlog-change.ts';
import { readModlogStatus } from '../../commands/modlog/modlog-status.ts';
import { removeReasonAs, saveReasonAs } from '../../commands/reasons/reasons-change.ts';
import { DiscordApiError } from '../../discord/rest.ts';
import { listPolicies } from '../../escalation/policies.ts';
import { CommandError } from '../../interactions/errors.ts';
import { listSavedReasons } from '../../moderation/saved-reasons.ts';
import { namesOf } from '../../users/known-users.ts';
import type { DashboardEnv, DashboardGuild } from '../context.ts';
import { guildOrForbidden, layoutUser, type PageContext, page, refusalOf } from './page-kit.ts';
import { modlogChannelChoices } from './settings-channels.ts';
import { type FormBody, formInteger, formText, noticeText, type SettingsNotice } from './settings-form.ts';
import {
  renderSettingsPage,
  type SettingsDraft,
  type SettingsPageData,
  type SettingsSection,
  settingsPath,
} from './settings-view.ts';

/** Settings are Manage Server's, as /modlog, /escalation and /reasons are. */
export const SETTINGS_PERMISSION: PermissionName = 'MANAGE_GUILD';

const SNOWFLAKE = /^\d{17,20}$/;

/** The channels, or null when Discord did not answer (the page says so; the rest still shows). */
async function channelsOrNull(c: PageContext, guildId: string) {
  try {
    return await modlogChannelChoices(c.var.services, guildId);
  } catch (error) {
    if (error instanceof DiscordApiError) return null;
    throw error;
  }
}

async function settingsPage(
  c: PageContext,
  guild: DashboardGuild,
  extra: Pick<SettingsPageData, 'notice' | 'error' | 'draft'>,
) {
  const { db } = c.var.services;
  const [modlog, channels, policies, reasons] = await Promise.all([
    readModlogStatus(db, guild.id),
    channelsOrNull(c, guild.id),
    listPolicies(db, guild.id),
    listSavedReasons(db, guild.id),
  ]);
  const names = await namesOf(
    db,
    policies.map((policy) => policy.createdBy),
  );
  return renderSettingsPage(layoutUser(c), { guild, modlog, channels, policies, names, reasons, ...extra });
}

function dashboardActor(c: PageContext, guildId: string): ChangeActor {
  const { user } = c.var.session;
  return {
    services: c.var.services,
    guildId,
    moderator: { id: user.id, username: user.username },
    via: 'dashboard',
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}

type Change = (actor: ChangeActor, body: FormBody) => Promise<SettingsNotice>;

function postRoute(
  app: Hono<DashboardEnv>,
  path: string,
  section: SettingsSection,
  change: Change,
  draftOf: (body: FormBody) => SettingsDraft = () => ({}),
) {
  app.post(`/dashboard/guilds/:guildId/settings/${path}`, async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'), SETTINGS_PERMISSION);
    if (guild instanceof Response) return guild;
    const body: FormBody = await c.req.parseBody();
    try {
      const done = await change(dashboardActor(c, guild.id), body);
      return c.redirect(`${settingsPath(guild.id)}?done=${done}`, 303);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      const { status, message } = refusal;
      const refused = { notice: null, error: { section, message }, draft: draftOf(body) };
      return page(c, await settingsPage(c, guild, refused), status);
    }
  });
}

const setChannel: Change = async (actor, body) => {
  const channelId = formText(body, 'channel') ?? '';
  const choices = SNOWFLAKE.test(channelId) ? await modlogChannelChoices(actor.services, actor.guildId) : [];
  const chosen = choices.find((choice) => choice.id === channelId);
  if (!chosen) throw new CommandError('invalid_option', 'Choose one of this server’s text channels.');
  const outcome = await setModlogChannel(actor, chosen.id, chosen.botPermissions);
  if (outcome.status === 'lost_race') throw new CommandError('unavailable', LOST_RACE);
  return outcome.replayed ? 'modlog-set-replay' : 'modlog-set';
};

const addPolicy: Change = async (actor, body) => {
  await addEscalationPolicy(actor, {
    warnings: formInteger(body, 'warnings'),
    within: formText(body, 'within'),
    action: formText(body, 'action'),
    duration: formText(body, 'duration'),
  });
  return 'policy-added';
};

const removePolicy: Change = async (actor, body) => {
  await removeEscalationPolicy(actor, formInteger(body, 'policy'));
  return 'policy-removed';
};

const saveReason: Change = async (actor, body) => {
  const saved = await saveReasonAs(actor, { name: formText(body, 'name'), text: formText(body, 'text') });
  return saved.outcome === 'saved'
    ? 'reason-saved'
    : saved.outcome === 'replaced'
      ? 'reason-replaced'
      : 'reason-unchanged';
};

const removeReason: Change = async (actor, body) => {
  await removeReasonAs(actor, formText(body, 'name'));
  return 'reason-removed';
};

export function registerSettings(app: Hono<DashboardEnv>): void {
  app.get('/dashboard/guilds/:guildId/settings', async (c) => {
    const guild = await guildOrForbidden(c, c.req.param('guildId'), SETTINGS_PERMISSION);
    if (guild instanceof Response) return guild;
    const notice = noticeText(c.req.query('done'));
    return page(c, await settingsPage(c, guild, { notice, error: null }));
  });
  postRoute(app, 'modlog', 'modlog', setChannel);
  postRoute(app, 'escalation', 'policies', addPolicy, (body) => ({
    policy: {
      warnings: formText(body, 'warnings') ?? '',
      within: formText(body, 'within') ?? '',
      action: formText(body, 'action') ?? '',
      duration: formText(body, 'duration') ?? '',
    },
  }));
  postRoute(app, 'escalation/remove', 'policies', removePolicy);
  postRoute(app, 'reasons', 'reasons', saveReason, (body) => ({
    reason: { name: formText(body, 'name') ?? '', text: formText(body, 'text') ?? '' },
  }));
  postRoute(app, 'reasons/remove', 'reasons', removeReason);
}
