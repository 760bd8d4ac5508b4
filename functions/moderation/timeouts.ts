// Discord caps a timeout at 28 days; /mute accepts up to a year. The timeout actually set for a mute
// is worked out here, for the command, the renewals of the scheduler, and the reconciler's check.
import { DISCORD_TIMEOUT_CAP_MS } from '../../shared/command-definitions.ts';

/** Discord rejects a timeout even a moment past 28 days from its own clock; leave a margin for skew. */
const TIMEOUT_CAP_MARGIN_MS = 60_000;

/** The timeout to set at Discord at `now` for a mute ending at `expiresAt`. */
export function timeoutEnd(now: Date, expiresAt: Date): Date {
  const cap = now.getTime() + DISCORD_TIMEOUT_CAP_MS - TIMEOUT_CAP_MARGIN_MS;
  return new Date(Math.min(expiresAt.getTime(), cap));
}
