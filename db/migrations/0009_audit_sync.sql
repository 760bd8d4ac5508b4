CREATE TABLE "audit_sync" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"cursor" text,
	"next_sync_at" timestamp with time zone DEFAULT now() NOT NULL,
	"interval_ms" integer DEFAULT 60000 NOT NULL,
	"last_activity_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"missing_permission_at" timestamp with time zone,
	"missing_reported_at" timestamp with time zone,
	"raid_alerted_at" text,
	"dm_spam_alerted_at" text,
	"last_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "source" text DEFAULT 'command' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "audit_entry_id" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "automod_rule" text;--> statement-breakpoint
CREATE INDEX "audit_sync_due_idx" ON "audit_sync" USING btree ("next_sync_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_guild_audit_entry_key" ON "cases" USING btree ("guild_id","audit_entry_id") WHERE "cases"."audit_entry_id" is not null;