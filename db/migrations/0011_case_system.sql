CREATE TABLE "case_edits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"case_id" uuid NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"edited_by" text NOT NULL,
	"edited_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "escalation_policies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"policy_number" integer NOT NULL,
	"warnings" integer NOT NULL,
	"within_seconds" integer NOT NULL,
	"action" text NOT NULL,
	"duration_seconds" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"policy_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"trigger_case_id" uuid NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"result_case_id" uuid,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "deleted_by" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "delete_reason" text;--> statement-breakpoint
CREATE INDEX "case_edits_case_idx" ON "case_edits" USING btree ("case_id","edited_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalation_policies_guild_number_key" ON "escalation_policies" USING btree ("guild_id","policy_number");--> statement-breakpoint
CREATE INDEX "escalation_policies_guild_idx" ON "escalation_policies" USING btree ("guild_id");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_policy_trigger_key" ON "escalations" USING btree ("policy_id","trigger_case_id");--> statement-breakpoint
CREATE INDEX "escalations_pending_idx" ON "escalations" USING btree ("created_at") WHERE "escalations"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "cases_guild_moderator_idx" ON "cases" USING btree ("guild_id","moderator_id","case_number");--> statement-breakpoint
CREATE INDEX "cases_guild_action_idx" ON "cases" USING btree ("guild_id","action","case_number");--> statement-breakpoint
CREATE INDEX "cases_guild_source_idx" ON "cases" USING btree ("guild_id","source","case_number");