// The sandbox page's state: one object, made once by sandbox.js and handed to every part of the page,
// that the pollers and the answers write and the panels read — what /sandbox/api/setup said, the
// guild as last polled, who is at the keyboard, the newest raid, the replies this page's interactions
// made, and the channel messages (#mod-logs, the selected channel) as the stand-in has them or as a
// button's answer left them. Beside it, what is read off it the same way everywhere: the names
// Discord shows for users, roles and channels, whether a reply is ephemeral and who sees it, a
// channel message as shown, the channel the page acts in.

/** Interaction tokens live 15 minutes: replies are watched for edits that long. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
const EPHEMERAL = 1 << 6;

export function createPageState() {
  return {
    /** /sandbox/api/setup's answer: the guild's ids, the command definitions, the application, canSign. */
    setup: null,
    /** The stand-in's control API on this origin (setup.controlPath). */
    control: '/__sandbox',
    /** The guild as the stand-in last answered it (members, roles, bans, webhooks, incidents). */
    guild: null,
    /** The member at the keyboard ("Run commands as"). */
    invokerId: null,
    /**
     * Bot messages made by this page's interactions, oldest first: what was typed or clicked, where,
     * the message as it stands (`message`), and the tokens whose @original edits it (`watch`).
     */
    replies: [],
    /**
     * Channel messages (#mod-logs, a lockdown's notice) as updated in place by a button (type 7, or
     * the click's @original edited), by id: `{message, basis}`, kept while the stand-in's copy is
     * still the one it was based on (`basis`: its edited_timestamp); a later edit there (the relay
     * editing a case line) wins.
     */
    storedUpdates: new Map(),
    /** Clicks on channel messages whose @original (the clicked message) the bot may still edit. */
    storedWatches: [],
    /** #mod-logs as the stand-in has it. */
    modlogMessages: [],
    /** The selected channel's messages as the stand-in has them (a lockdown's notice, say). */
    channelMessages: { channelId: null, messages: [] },
    /** The user ids of the newest simulated raid. */
    raiders: [],
    /** Every user this page has seen (members, bans): Discord still names a user after they are unbanned. */
    seenUsers: new Map(),
    /** The channel list (channels.js), made once the setup is read. */
    channels: null,
  };
}

/** A user's name as Discord shows it: the member's nickname, else their display name, else username. */
export const shownName = (user, member) => member?.nick || user?.global_name || user?.username || null;

/** The names render.js resolves mentions with, read from the state as it stands. */
export function createNames(state) {
  const memberOf = (id) => state.guild?.members.find((m) => m.user?.id === id) ?? null;
  return {
    userName(id) {
      const { setup, guild, seenUsers } = state;
      if (setup && id === setup.applicationId) return 'Lockdown';
      const member = memberOf(id);
      if (member) return shownName(member.user, member);
      const ban = guild?.bans.find((b) => b.user.id === id);
      if (ban) return shownName(ban.user);
      const outsider = setup?.outsiders.find((u) => u.id === id);
      if (outsider) return shownName(outsider);
      return seenUsers.has(id) ? shownName(seenUsers.get(id)) : null;
    },
    roleName: (id) => state.guild?.roles.find((r) => r.id === id)?.name ?? null,
    channelName: (id) => state.guild?.channels.find((c) => c.id === id)?.name ?? null,
  };
}

export const isEphemeral = (reply) =>
  ((reply.answer?.data?.flags ?? 0) & EPHEMERAL) !== 0 || ((reply.message?.flags ?? 0) & EPHEMERAL) !== 0;
/** An ephemeral message is shown only to the member whose interaction made it. */
export const visibleTo = (reply, invokerId) => !isEphemeral(reply) || reply.invokerId === invokerId;

/** A stored message as shown: as a button's answer left it, unless the stand-in's copy changed since. */
export function shownStored(state, message) {
  const update = state.storedUpdates.get(message.id);
  return update && update.basis === message.edited_timestamp ? update.message : message;
}

/** The stand-in's message `id` in #mod-logs or the selected channel, as last polled. */
export const findStored = (state, id) =>
  [...state.modlogMessages, ...state.channelMessages.messages].find((m) => m.id === id);

/** The channel the page acts in: the one selected, #general until the channel list is read. */
export const selectedChannelId = (state) =>
  state.channels?.selectedId() ?? state.setup.guild.channels.general;
