// The dashboard's sign-in: one server-side session per login with Discord (functions/dashboard/).
// The cookie carries only the session's id, signed; everything else stays here.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.ts';

export const dashboardSessions = pgTable(
  'dashboard_sessions',
  {
    /** 32 random bytes, base64url: what the signed cookie names. */
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    username: text('username').notNull(),
    globalName: text('global_name'),
    /**
     * A secret: the user's OAuth2 access token (scopes identify, guilds), used to re-ask Discord for
     * the user's servers and permissions on every request. Never logged, never in a page.
     */
    accessToken: text('access_token').notNull(),
    /** The session ends here, never after the access token does. */
    expiresAt: timestamptz('expires_at').notNull(),
    /** The anti-CSRF token every state-changing dashboard request must carry. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  // For sweeping expired sessions.
  (t) => [index('dashboard_sessions_expires_idx').on(t.expiresAt)],
);
