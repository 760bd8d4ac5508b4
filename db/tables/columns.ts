// Column helpers every table file shares.
import { timestamp } from 'drizzle-orm/pg-core';

/** Timestamps are `timestamptz`, read as Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
