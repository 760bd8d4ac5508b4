// The database schema, shared by the edge (Neon HTTP) and the relay (node-postgres), one file per
// part of the system in db/tables/; drizzle-kit reads it from here (drizzle.config.ts).
// Case numbers are per guild and gap-free: `guilds.case_counter` is bumped in the same transaction
// that inserts the case, and UNIQUE(guild_id, case_number) makes a lost race an error, never a duplicate.
export * from './tables/appeals.ts';
export * from './tables/audit-sync.ts';
export * from './tables/cases.ts';
export * from './tables/dashboard.ts';
export * from './tables/escalation.ts';
export * from './tables/events.ts';
export * from './tables/guilds.ts';
export * from './tables/interactions.ts';
export * from './tables/raid.ts';
export * from './tables/slowmodes.ts';
export * from './tables/users.ts';
