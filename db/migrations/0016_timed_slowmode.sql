CREATE TABLE "slowmodes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"previous_seconds" integer NOT NULL,
	"seconds" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"moderator_id" text NOT NULL,
	"reason" text,
	"state" text DEFAULT 'active' NOT NULL,
	"end_reason" text,
	"outcome" text,
	"found_seconds" integer,
	"ended_by" text,
	"ended_at" timestamp with time zone,
	"schedule_claimed_until" timestamp with time zone,
	"schedule_attempts" integer DEFAULT 0 NOT NULL,
	"schedule_next_attempt_at" timestamp with time zone,
	"schedule_last_error" text,
	"schedule_failure_reported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "slowmodes_active_channel_key" ON "slowmodes" USING btree ("channel_id") WHERE "slowmodes"."state" = 'active';--> statement-breakpoint
CREATE INDEX "slowmodes_due_idx" ON "slowmodes" USING btree ("expires_at") WHERE "slowmodes"."state" = 'active';--> statement-breakpoint
CREATE INDEX "slowmodes_guild_idx" ON "slowmodes" USING btree ("guild_id","created_at");