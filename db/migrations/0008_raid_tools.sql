CREATE TABLE "channel_locks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"lockdown_id" uuid NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"had_overwrite" boolean DEFAULT false NOT NULL,
	"previous_allow" text DEFAULT '0' NOT NULL,
	"previous_deny" text DEFAULT '0' NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"error" text,
	"locked_at" timestamp with time zone,
	"restored_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lockdowns" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"scope" text NOT NULL,
	"moderator_id" text NOT NULL,
	"reason" text,
	"notice" text,
	"expires_at" timestamp with time zone,
	"state" text DEFAULT 'locking' NOT NULL,
	"end_state" text,
	"unlocked_by" text,
	"unlock_reason" text,
	"reply_token" text,
	"reply_token_expires_at" timestamp with time zone,
	"work_claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "massbans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"moderator_id" text NOT NULL,
	"reason" text NOT NULL,
	"ban_seconds" integer,
	"delete_message_seconds" integer DEFAULT 0 NOT NULL,
	"user_ids" text[] NOT NULL,
	"skipped" jsonb NOT NULL,
	"state" text DEFAULT 'previewed' NOT NULL,
	"confirm_by" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"next_index" integer DEFAULT 0 NOT NULL,
	"banned_count" integer DEFAULT 0 NOT NULL,
	"failed_user_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"reply_token" text,
	"reply_token_expires_at" timestamp with time zone,
	"work_claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
CREATE INDEX "channel_locks_lockdown_idx" ON "channel_locks" USING btree ("lockdown_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_locks_active_key" ON "channel_locks" USING btree ("channel_id") WHERE "channel_locks"."state" in ('pending', 'locked');--> statement-breakpoint
CREATE INDEX "lockdowns_guild_idx" ON "lockdowns" USING btree ("guild_id","created_at");--> statement-breakpoint
CREATE INDEX "lockdowns_work_idx" ON "lockdowns" USING btree ("state","expires_at") WHERE "lockdowns"."state" <> 'unlocked';--> statement-breakpoint
CREATE INDEX "massbans_guild_idx" ON "massbans" USING btree ("guild_id","created_at");--> statement-breakpoint
CREATE INDEX "massbans_work_idx" ON "massbans" USING btree ("state") WHERE "massbans"."state" = 'banning';