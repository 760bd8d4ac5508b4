CREATE TABLE "modlog_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"webhook_id" text NOT NULL,
	"guild_id" text NOT NULL,
	"embeds" jsonb NOT NULL,
	"case_ids" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "modlog_messages_guild_created_idx" ON "modlog_messages" USING btree ("guild_id","created_at");