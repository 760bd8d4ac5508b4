// UUIDs as Lockdown writes them (crypto.randomUUID, Postgres' uuid output: lower case) and as an id
// read from elsewhere may spell them (any case). Checked before an id reaches a query: a custom_id
// or a stream entry is never trusted to hold one.
const LOWER_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id we wrote ourselves and got back (a custom_id's case, appeal or draft). */
export const isUuid = (text: string): boolean => LOWER_CASE.test(text);

/** An id typed or stored elsewhere (an operator's `--event`, a stream entry, a table column). */
export const isUuidAnyCase = (text: string): boolean => ANY_CASE.test(text);
