CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"case_number" integer NOT NULL,
	"action" text NOT NULL,
	"user_id" text NOT NULL,
	"moderator_id" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"state" text DEFAULT 'active' NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by_case_id" uuid,
	"dm_delivered" boolean,
	"modlog_message_id" text,
	"modlog_webhook_id" text,
	"timeout_until" timestamp with time zone,
	"schedule_attempts" integer DEFAULT 0 NOT NULL,
	"schedule_next_attempt_at" timestamp with time zone,
	"schedule_last_error" text,
	"schedule_failure_reported_at" timestamp with time zone,
	"schedule_claimed_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid,
	"guild_id" text,
	"stream_entry_id" text NOT NULL,
	"raw" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replayed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "guilds" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"case_counter" integer DEFAULT 0 NOT NULL,
	"modlog_channel_id" text,
	"modlog_webhook_id" text,
	"modlog_webhook_token" text,
	"modlog_webhook_owned" boolean DEFAULT false NOT NULL,
	"modlog_broken_at" timestamp with time zone,
	"modlog_broken_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "modlog_deliveries" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"message_id" text,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"publish_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pending_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"action" text NOT NULL,
	"user_id" text NOT NULL,
	"moderator_id" text NOT NULL,
	"reason" text,
	"expires_at" timestamp with time zone,
	"discord_accepted_at" timestamp with time zone,
	"dm_delivered" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reconcile_attempts" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "cases_guild_case_number_key" ON "cases" USING btree ("guild_id","case_number");--> statement-breakpoint
CREATE INDEX "cases_guild_user_created_idx" ON "cases" USING btree ("guild_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_due_idx" ON "cases" USING btree ("expires_at") WHERE "cases"."state" = 'active' and "cases"."expires_at" is not null;--> statement-breakpoint
CREATE INDEX "dead_letters_guild_idx" ON "dead_letters" USING btree ("guild_id","created_at");--> statement-breakpoint
CREATE INDEX "modlog_deliveries_guild_delivered_idx" ON "modlog_deliveries" USING btree ("guild_id","delivered_at");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("created_at") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_guild_created_idx" ON "outbox" USING btree ("guild_id","created_at");--> statement-breakpoint
CREATE INDEX "pending_actions_created_idx" ON "pending_actions" USING btree ("created_at");