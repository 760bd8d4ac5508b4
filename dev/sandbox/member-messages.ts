// A plain message typed on the sandbox page, posted in the selected channel as the member at the
// keyboard (the stand-in's control route, as if typed in Discord's client), so that there are
// members' messages to right-click ("Warn for this message", "Delete and warn") or /purge. Refused
// as Discord's client refuses: a member only, in a text channel they can see and send in, 1–2000
// characters (Discord's limit without Nitro).
import type { SandboxMessage } from '../discord/server.ts';
import { channelViews } from './channel-views.ts';
import { CommandInputError } from './command-options.ts';
import { invokerOf } from './interaction-parts.ts';
import type { SandboxGuild } from './seed.ts';
import type { WorkerLink } from './worker-link.ts';

export interface MemberMessageRequest {
  channelId: string;
  invokerId?: string;
  content: string;
}

const MAX_CONTENT = 2000;

export async function postAsMember(
  link: WorkerLink,
  setup: { guild: SandboxGuild },
  request: MemberMessageRequest,
): Promise<SandboxMessage> {
  if (typeof request.content !== 'string' || request.content.trim() === '') {
    throw new CommandInputError('Type a message first.');
  }
  if (request.content.length > MAX_CONTENT) {
    throw new CommandInputError(`A message is at most ${MAX_CONTENT} characters.`);
  }
  const guild = await link.guildState();
  const author = invokerOf(guild, request.invokerId ?? setup.guild.defaultInvokerId);
  const view = channelViews(guild, author.id).find((v) => v.id === request.channelId);
  if (!view?.canView) throw new CommandInputError('There is no such channel in this server.');
  if (!view.canSend)
    throw new CommandInputError('You do not have permission to send messages in this channel.');
  return link.control<SandboxMessage>(`/channels/${request.channelId}/messages`, {
    author_id: author.id,
    content: request.content,
  });
}
