ALTER TABLE "guilds" ADD COLUMN "event_sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "sequence" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_guild_sequence_key" ON "outbox" USING btree ("guild_id","sequence");